//! Hashes: the SHA-256 of a version's normalized source (what `clause.lock`
//! records, so line endings and trailing spaces never change it) and of any
//! bytes.

use std::fmt::Write as _;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// The source a hash is taken of: the title, effective date and version on
/// their own lines, a blank line, and the Markdown body, with line endings
/// made `\n`, spaces and tabs at line ends removed, and blank lines at the
/// start and end of the body dropped. So changing how a file ends its lines,
/// or trailing spaces, does not change the hash; changing a word does.
pub fn normalized(title: &str, effective_date: NaiveDate, version: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = body
        .lines()
        .map(|l| l.trim_end_matches([' ', '\t']))
        .collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |e| e + 1);
    let mut out = format!(
        "title: {}\neffective_date: {effective_date}\nversion: {version}\n\n",
        title.trim()
    );
    for line in &lines[start..end] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The SHA-256 of `normalized(...)`, computed without building it: lines
/// go to the hash as they are found.
pub fn normalized_sha256(
    title: &str,
    effective_date: NaiveDate,
    version: &str,
    body: &str,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(
        format!(
            "title: {}\neffective_date: {effective_date}\nversion: {version}\n\n",
            title.trim()
        )
        .as_bytes(),
    );
    // Lines end at `\r\n`, `\n` or a lone `\r`; blank lines go in only
    // between lines that are not blank.
    let (mut started, mut blank) = (false, 0usize);
    let mut rest = body;
    while !rest.is_empty() {
        let end = memchr::memchr2(b'\n', b'\r', rest.as_bytes()).unwrap_or(rest.len());
        let line = rest[..end].trim_end_matches([' ', '\t']);
        rest = match rest.as_bytes().get(end) {
            Some(b'\r') if rest.as_bytes().get(end + 1) == Some(&b'\n') => &rest[end + 2..],
            Some(_) => &rest[end + 1..],
            None => "",
        };
        if line.is_empty() {
            blank += usize::from(started);
            continue;
        }
        for _ in 0..blank {
            hasher.update(b"\n");
        }
        blank = 0;
        started = true;
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    hex(&hasher.finalize())
}

/// Lowercase hex of a digest.
fn hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(2 * digest.len());
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    proptest! {
        /// The streamed hash is the hash of the normalized text, whatever
        /// the line endings, blank lines and trailing white space.
        #[test]
        fn the_streamed_hash_is_the_hash_of_the_normalized_text(
            body in "[a \t\r\n]{0,40}",
            title in "[ a]{0,5}",
        ) {
            let d = date("2026-05-12");
            prop_assert_eq!(
                normalized_sha256(&title, d, "1", &body),
                sha256(normalized(&title, d, "1", &body).as_bytes())
            );
        }
    }

    #[test]
    fn normalization_ignores_line_endings_and_trailing_space_only() {
        let d = date("2026-05-12");
        let a = normalized(
            "Privacy",
            d,
            "2",
            "\n\nOne line.  \r\nTwo\tlines.\t\r\n\r\n",
        );
        let b = normalized("Privacy", d, "2", "One line.\nTwo\tlines.\n");
        assert_eq!(a, b);
        assert_eq!(
            a,
            "title: Privacy\neffective_date: 2026-05-12\nversion: 2\n\nOne line.\nTwo\tlines.\n"
        );
        assert_ne!(a, normalized("Privacy", d, "2", "One line.\nTwo words.\n"));
        assert_ne!(
            a,
            normalized(
                "Privacy",
                date("2026-05-13"),
                "2",
                "One line.\nTwo\tlines.\n"
            )
        );
        // Leading spaces (indentation) matter in Markdown.
        assert_ne!(
            a,
            normalized("Privacy", d, "2", "    One line.\nTwo\tlines.\n")
        );
    }

    #[test]
    fn hashes_are_lowercase_hex() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
