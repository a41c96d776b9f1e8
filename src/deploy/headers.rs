//! The headers each published file is served with: a Content-Type for every
//! kind of file clause writes (text with `charset=utf-8`), and a
//! Cache-Control suited to a legal record: pages and indexes revalidate on
//! every request, so a new version is seen at once; theme assets whose name
//! carries a hash of their bytes never change, so they are kept for a year.

/// Cache-Control for files that may change at the same URL.
pub const REVALIDATE: &str = "public, max-age=0, must-revalidate";
/// Cache-Control for files whose URL carries a hash of their bytes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub use crate::load::config::HeaderRule as Rule;

/// The headers file `path` is sent with: the first rule that matches and
/// sets each header, else the defaults.
pub fn for_path(path: &str, rules: &[Rule]) -> (String, String) {
    let matching = || rules.iter().filter(|r| glob(&r.path, path));
    let content_type = matching()
        .find_map(|r| r.content_type.clone())
        .unwrap_or_else(|| content_type(path).to_string());
    let cache_control = matching()
        .find_map(|r| r.cache_control.clone())
        .unwrap_or_else(|| cache_control(path).to_string());
    (content_type, cache_control)
}

/// Whether `path` matches `pattern`: `**` matches anything, `*` anything
/// but `/`, `?` one character but `/`; other characters themselves.
pub fn glob(pattern: &str, path: &str) -> bool {
    fn matches(p: &[u8], s: &[u8]) -> bool {
        match p {
            [] => s.is_empty(),
            // `**/` matches nothing or whole folders.
            [b'*', b'*', b'/', rest @ ..] => (0..=s.len())
                .filter(|&i| i == 0 || s[i - 1] == b'/')
                .any(|i| matches(rest, &s[i..])),
            [b'*', b'*', rest @ ..] => (0..=s.len()).any(|i| matches(rest, &s[i..])),
            [b'*', rest @ ..] => (0..=s.len())
                .take_while(|&i| i == 0 || s[i - 1] != b'/')
                .any(|i| matches(rest, &s[i..])),
            [b'?', rest @ ..] => s.first().is_some_and(|&c| c != b'/') && matches(rest, &s[1..]),
            [c, rest @ ..] => s.first() == Some(c) && matches(rest, &s[1..]),
        }
    }
    matches(pattern.as_bytes(), path.as_bytes())
}

/// The Content-Type of the file at output path `path`.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "_redirects" {
        return "text/plain; charset=utf-8";
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if name == "sitemap.xml" => "application/xml",
        // The Atom feeds are the site's only other XML files.
        "xml" => "application/atom+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "asc" => "application/pgp-keys",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/vnd.microsoft.icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Whether `path`'s file name carries a content hash the way the theme's
/// assets do (`static/style.3f9a0c1e2b.css`: ten hex digits before the
/// extension, or at the end of a name without one).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    let candidate = match parts.as_slice() {
        [_, .., hash, _] if parts.len() >= 3 => hash,
        [_, hash] => hash,
        _ => return false,
    };
    candidate.len() == 10
        && candidate
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The Cache-Control of the file at output path `path`.
pub fn cache_control(path: &str) -> &'static str {
    if path.starts_with("static/") && is_hashed(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_file_clause_writes_has_its_type() {
        for (path, want) in [
            ("index.html", "text/html; charset=utf-8"),
            (
                "privacy/versions/1/changes/index.html",
                "text/html; charset=utf-8",
            ),
            ("static/style.3f9a0c1e2b.css", "text/css; charset=utf-8"),
            ("documents.json", "application/json"),
            ("sitemap.xml", "application/xml"),
            ("feed.xml", "application/atom+xml"),
            ("zh/feed.xml", "application/atom+xml"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("_redirects", "text/plain; charset=utf-8"),
            ("security/key.asc", "application/pgp-keys"),
            ("static/logo.svg", "image/svg+xml"),
            ("legal/dpa.PDF", "application/pdf"),
            ("security/key.pub", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), want, "{path}");
        }
    }

    #[test]
    fn globs_match_within_and_across_folders() {
        assert!(glob("static/**", "static/style.css"));
        assert!(glob("static/**", "static/a/b.css"));
        assert!(glob("**/*.pdf", "legal/dpa/annex.pdf"));
        assert!(glob("**/*.pdf", "annex.pdf"));
        assert!(glob("*.html", "index.html"));
        assert!(!glob("*.html", "privacy/index.html"));
        assert!(glob(
            "privacy/versions/*/index.html",
            "privacy/versions/2/index.html"
        ));
        assert!(!glob(
            "privacy/versions/*/index.html",
            "privacy/versions/2/changes/index.html"
        ));
        assert!(glob("feed.xm?", "feed.xml"));
        assert!(!glob("static/*", "static/a/b.css"));
        assert!(!glob("**/b", "ab"));
        assert!(glob("**/b", "a/b"));
    }

    #[test]
    fn rules_replace_the_defaults_header_by_header() {
        let rules = vec![
            Rule {
                path: "static/**".into(),
                content_type: None,
                cache_control: Some("public, max-age=86400".into()),
            },
            Rule {
                path: "**/*.css".into(),
                content_type: Some("text/css".into()),
                cache_control: Some("no-store".into()),
            },
        ];
        assert_eq!(
            for_path("static/style.css", &rules),
            ("text/css".to_string(), "public, max-age=86400".to_string())
        );
        assert_eq!(
            for_path("index.html", &rules),
            (
                "text/html; charset=utf-8".to_string(),
                REVALIDATE.to_string()
            )
        );
    }

    #[test]
    fn only_hashed_theme_assets_are_immutable() {
        assert_eq!(cache_control("static/style.3f9a0c1e2b.css"), IMMUTABLE);
        assert_eq!(cache_control("static/LICENSE.3f9a0c1e2b"), IMMUTABLE);
        for path in [
            "static/style.css",
            "index.html",
            "documents.json",
            "static/style.3f9a0c1e2.css",
            "static/style.3F9A0C1E2B.css",
            // A hash-like name outside static/ is a page or an attachment.
            "privacy/report.3f9a0c1e2b.pdf",
        ] {
            assert_eq!(cache_control(path), REVALIDATE, "{path}");
        }
    }
}
