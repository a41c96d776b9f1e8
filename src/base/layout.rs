//! The layout of a site folder (where config, content, static files, themes
//! and the lock are; the default output folder) and the rules for names and
//! paths that every stage shares.

/// The site's configuration file, at the site's root.
pub const CONFIG_FILE: &str = "config.toml";
/// The folder of documents and attachments.
pub const CONTENT_DIR: &str = "content";
/// The site's own static files, copied to the output as they are.
pub const STATIC_DIR: &str = "static";
/// The folder of themes (`themes/<name>/`).
pub const THEMES_DIR: &str = "themes";
/// The lock on published text.
pub const LOCK_FILE: &str = "clause.lock";
/// The output folder when config.toml names none.
pub const DEFAULT_OUTPUT: &str = "dist";
/// Folder names a document cannot have: the site uses them.
pub const RESERVED_SEGMENTS: &[&str] = &["versions", STATIC_DIR];

/// A folder name that is safe in a URL and on every file system:
/// `[A-Za-z0-9][A-Za-z0-9_-]*`, and not a name Windows reserves (`con`).
pub fn is_safe_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 100
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
        && !crate::base::names::windows_reserved(segment)
}

/// Whether site path `dest` is `prefix` or below it (`/support/x` is under
/// `/support`; `/supportive` is not).
pub fn is_under(dest: &str, prefix: &str) -> bool {
    dest.strip_prefix(prefix).is_some_and(|rest| {
        prefix.ends_with('/') || rest.is_empty() || rest.starts_with(['/', '?', '#'])
    })
}
