//! The headers each published file is served with: a Content-Type for every
//! kind of file clause writes (text with `charset=utf-8`), and a
//! Cache-Control suited to a legal record: pages and indexes revalidate on
//! every request, so a new version is seen at once; theme assets whose name
//! carries a hash of their bytes never change, so they are kept for a year.

/// Cache-Control for files that may change at the same URL.
pub const REVALIDATE: &str = "public, max-age=0, must-revalidate";
/// Cache-Control for files whose URL carries a hash of their bytes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

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
