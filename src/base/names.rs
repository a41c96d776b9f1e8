//! Portable file names: what a name in the site may be so that the site
//! checks out, builds and publishes the same on Linux, macOS and Windows,
//! and the key under which two names are one file on a case-insensitive or
//! normalizing file system.

use std::ffi::OsStr;

use unicode_normalization::UnicodeNormalization;

/// Why a file name cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    /// Not UTF-8: it cannot be part of a URL, and two such names may show
    /// as the same text.
    NotUtf8,
    /// A device name on Windows (`CON`, `aux.md`, `com1`).
    Reserved,
    /// A character Windows does not allow in names, or a control character.
    Character(char),
    /// Ends in a dot or a space, which Windows drops.
    TrailingDotOrSpace,
}

impl NameProblem {
    /// What is wrong, for a message about the name.
    pub fn message(&self) -> String {
        match self {
            NameProblem::NotUtf8 => "this name is not UTF-8 text".to_string(),
            NameProblem::Reserved => "this name is reserved for a device on Windows".to_string(),
            NameProblem::Character(c) if c.is_control() => format!(
                "this name holds the control character {}",
                c.escape_unicode()
            ),
            NameProblem::Character(c) => {
                format!("this name holds `{c}`, which Windows does not allow in names")
            }
            NameProblem::TrailingDotOrSpace => {
                "this name ends in a dot or a space, which Windows drops".to_string()
            }
        }
    }
}

/// Characters Windows refuses in a file name (besides control characters).
const WINDOWS_FORBIDDEN: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

/// The name as text, if every system can hold it.
pub fn portable(name: &OsStr) -> Result<&str, NameProblem> {
    let name = name.to_str().ok_or(NameProblem::NotUtf8)?;
    if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || WINDOWS_FORBIDDEN.contains(c))
    {
        return Err(NameProblem::Character(c));
    }
    if name.ends_with(['.', ' ']) && name != "." && name != ".." {
        return Err(NameProblem::TrailingDotOrSpace);
    }
    if windows_reserved(name) {
        return Err(NameProblem::Reserved);
    }
    Ok(name)
}

/// Whether Windows reserves `name` for a device: `CON`, `PRN`, `AUX`,
/// `NUL`, `COM0`-`COM9`, `LPT0`-`LPT9`, in any case and with any
/// extension (`nul.md`, `Com1.tar.gz`).
pub fn windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    match upper.as_bytes() {
        b"CON" | b"PRN" | b"AUX" | b"NUL" => true,
        [b'C', b'O', b'M', d] | [b'L', b'P', b'T', d] => d.is_ascii_digit(),
        _ => false,
    }
}

/// The key under which names are one file on macOS and Windows: composed
/// (NFC) and in lower case.
pub fn folded(name: &str) -> String {
    name.nfc().flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_in_any_case_and_with_any_extension() {
        for name in [
            "CON",
            "con",
            "aux.md",
            "Nul.tar.gz",
            "com1",
            "LPT9.txt",
            "prn ",
        ] {
            assert!(windows_reserved(name), "{name}");
        }
        for name in [
            "console",
            "con-1",
            "com",
            "com10",
            "auxiliary.md",
            "nul_",
            "1.0",
        ] {
            assert!(!windows_reserved(name), "{name}");
        }
    }

    #[test]
    fn portable_names() {
        assert_eq!(portable(OsStr::new("privacy.en.md")), Ok("privacy.en.md"));
        assert_eq!(portable(OsStr::new("数据.pdf")), Ok("数据.pdf"));
        assert_eq!(
            portable(OsStr::new("x\\y")),
            Err(NameProblem::Character('\\'))
        );
        assert_eq!(
            portable(OsStr::new("a:b")),
            Err(NameProblem::Character(':'))
        );
        assert_eq!(
            portable(OsStr::new("a\u{1b}b")),
            Err(NameProblem::Character('\u{1b}'))
        );
        assert_eq!(
            portable(OsStr::new("notes.")),
            Err(NameProblem::TrailingDotOrSpace)
        );
        assert_eq!(portable(OsStr::new("aux")), Err(NameProblem::Reserved));
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            assert_eq!(
                portable(OsStr::from_bytes(b"bad\xff.txt")),
                Err(NameProblem::NotUtf8)
            );
        }
    }

    #[test]
    fn names_that_are_one_file_elsewhere_fold_alike() {
        assert_eq!(folded("Terms.MD"), folded("terms.md"));
        assert_eq!(folded("Donne\u{301}es"), folded("données"));
        assert_ne!(folded("terms-1"), folded("terms-2"));
    }
}
