//! `clause archive`: the site as it stood on a date, as one zip file: an
//! offline copy (links relative, ending in `index.html`, so it opens from
//! the file system) with a manifest of the SHA-256 of every file, as a
//! record of what the legal center said that day. The same sources and
//! date give a byte-identical zip.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::base::diagnostics::Diagnostic;
use crate::build::{Built, Error, Options};
use crate::output::OutputError;

/// What `archive` made.
#[derive(Debug)]
pub struct Archived {
    pub built: Built,
    /// Files in the zip, the manifest and the note about it included.
    pub files: usize,
    /// The zip's size in bytes.
    pub bytes: u64,
    /// The folder inside the zip that holds the copy.
    pub folder: String,
}

/// Why no archive was written (the zip named is then left as it was).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{} problem(s) in the site", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The name of the manifest inside the copy's folder.
pub const MANIFEST: &str = "MANIFEST.sha256";
/// The note that says what the archive is.
pub const ABOUT: &str = "ABOUT.txt";

/// Builds an offline copy of the site at `options.root` as of
/// `options.as_of` and writes it to `zip` as one folder named for the zip
/// (`legal-2026-12-01.zip` holds `legal-2026-12-01/`).
pub fn archive(options: &Options, zip: &Path) -> Result<Archived, ArchiveError> {
    let folder = zip
        .file_stem()
        .map_or_else(|| "site".to_string(), |s| s.to_string_lossy().into_owned());
    let staging = std::env::temp_dir().join(format!(
        "clause-archive-{}-{}",
        std::process::id(),
        options.as_of
    ));
    let _ = std::fs::remove_dir_all(&staging);
    let built = crate::build::build(&Options {
        output: Some(staging.clone()),
        offline: true,
        ..options.clone()
    });
    let result = built
        .map_err(|e| match e {
            Error::Invalid(problems) => ArchiveError::Invalid(problems),
            Error::Output(e) => ArchiveError::Output(e),
        })
        .and_then(|built| {
            let files = collect(&staging).map_err(|source| ArchiveError::Io {
                path: staging.clone(),
                source,
            })?;
            let (count, bytes) = write_zip(zip, &folder, &files, options, &built)?;
            Ok(Archived {
                built,
                files: count,
                bytes,
                folder,
            })
        });
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// Every file of the built copy (not the output marker), by path, in order.
fn collect(dir: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if !entry.file_type().is_file() || entry.file_name() == crate::output::MARKER {
            continue;
        }
        let rel = crate::base::walk::slash_path(entry.path(), dir);
        files.push((rel, std::fs::read(entry.path())?));
    }
    files.sort();
    Ok(files)
}

/// Writes the zip beside `zip` and renames it into place. Every entry has
/// the as-of date as its time and the same permissions, so the zip depends
/// on nothing but the sources and the date.
fn write_zip(
    zip: &Path,
    folder: &str,
    files: &[(String, Vec<u8>)],
    options: &Options,
    built: &Built,
) -> Result<(usize, u64), ArchiveError> {
    let io = |source| ArchiveError::Io {
        path: zip.to_path_buf(),
        source,
    };
    let manifest: String = files
        .iter()
        .map(|(rel, bytes)| format!("{}  {rel}\n", crate::base::hash::sha256(bytes)))
        .collect();
    let about = format!(
        "An offline copy of this legal center as it stood on {date}, made by clause {version}.\n\
         \n\
         Open index.html in a browser; links between pages work from the file system.\n\
         {manifest} lists the SHA-256 of every other file; after unzipping, check them with\n\
         `sha256sum -c {manifest}` in this folder.\n\
         \n\
         Documents: {documents}; languages: {languages}; versions: {versions}; pages: {pages}.\n",
        date = options.as_of,
        version = env!("CARGO_PKG_VERSION"),
        manifest = MANIFEST,
        documents = built.stats.documents,
        languages = built.stats.languages,
        versions = built.stats.versions,
        pages = built.stats.pages,
    );
    let when = {
        use chrono::Datelike;
        let d = options.as_of;
        zip::DateTime::from_date_and_time(
            u16::try_from(d.year().clamp(1980, 2107)).unwrap_or(1980),
            d.month() as u8,
            d.day() as u8,
            0,
            0,
            0,
        )
        .unwrap_or_default()
    };
    let entry = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let temp = crate::base::write::temp_path(zip);
    let write = || -> zip::result::ZipResult<()> {
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&temp)?);
        let entries = [
            (ABOUT.to_string(), about.as_bytes()),
            (MANIFEST.to_string(), manifest.as_bytes()),
        ];
        let all = entries
            .iter()
            .map(|(rel, bytes)| (rel.as_str(), *bytes))
            .chain(
                files
                    .iter()
                    .map(|(rel, bytes)| (rel.as_str(), bytes.as_slice())),
            );
        for (rel, bytes) in all {
            writer.start_file(format!("{folder}/{rel}"), entry)?;
            writer.write_all(bytes)?;
        }
        writer.finish()?.sync_all()?;
        Ok(())
    };
    if let Err(e) = write() {
        let _ = std::fs::remove_file(&temp);
        return Err(io(std::io::Error::other(e)));
    }
    std::fs::rename(&temp, zip).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io(e)
    })?;
    let bytes = std::fs::metadata(zip).map_err(io)?.len();
    Ok((files.len() + 2, bytes))
}
