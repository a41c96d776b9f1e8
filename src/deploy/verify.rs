//! `clause verify`: proves that what is live is what was built and locked.
//! Every file of the output folder is read back from the live site (the
//! deploy's target, or the site over HTTP) and compared by SHA-256; the
//! live manifest must list the same files; and every version locked in
//! clause.lock must be in the built documents.json with the locked hash, so
//! the live text is the locked text. Nothing is rebuilt.

use std::collections::BTreeMap;
use std::path::Path;

use super::manifest::{MANIFEST, Manifest};
use super::store::Target;
use super::{DeployError, Settings, read_output};

/// One way the live site differs from the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The file (or `clause.lock` entry) concerned.
    pub path: String,
    pub what: String,
}

/// What `verify` found.
#[derive(Debug, Default)]
pub struct Verified {
    /// Files compared.
    pub files: usize,
    /// Locked versions compared.
    pub locked: usize,
    pub mismatches: Vec<Mismatch>,
}

/// Compares the live site at `source` with the build in `settings.output`
/// and the lock of the site at `root`.
pub fn verify(root: &Path, settings: &Settings, source: &str) -> Result<Verified, DeployError> {
    let local = read_output(&settings.output, &settings.header_rules)?;
    let live = Target::open(source)?;
    let mut found = Verified {
        files: local.len(),
        ..Verified::default()
    };
    let mut mismatch = |path: &str, what: String| {
        found.mismatches.push(Mismatch {
            path: path.to_string(),
            what,
        })
    };
    for file in &local {
        match live.get(&file.path)? {
            None => mismatch(&file.path, "missing from the live site".to_string()),
            Some(bytes) => {
                let sha256 = crate::base::hash::sha256(&bytes);
                if sha256 != file.sha256 {
                    mismatch(
                        &file.path,
                        format!("differs: live SHA-256 {sha256}, built {}", file.sha256),
                    );
                }
            }
        }
    }
    match live.get(MANIFEST)? {
        None => mismatch(MANIFEST, "missing from the live site".to_string()),
        Some(bytes) => match Manifest::parse(&bytes) {
            Err(e) => mismatch(MANIFEST, format!("is not one clause wrote: {e}")),
            Ok(manifest) => {
                let built: BTreeMap<&str, &str> = local
                    .iter()
                    .map(|f| (f.path.as_str(), f.sha256.as_str()))
                    .collect();
                for (path, entry) in &manifest.files {
                    match built.get(path.as_str()) {
                        None => mismatch(path, "listed in the live manifest but not built".into()),
                        Some(sha256) if *sha256 != entry.sha256 => mismatch(
                            path,
                            "the live manifest records another SHA-256 than the build's".into(),
                        ),
                        Some(_) => {}
                    }
                }
                for path in built.keys() {
                    if !manifest.files.contains_key(*path) {
                        mismatch(path, "built but not in the live manifest".into());
                    }
                }
            }
        },
    }
    // The built documents.json against the lock: the live text (proved equal
    // to the build above) is then the locked text.
    let documents = std::fs::read(settings.output.join("documents.json")).map_err(|source| {
        DeployError::Read {
            path: settings.output.join("documents.json"),
            source,
        }
    })?;
    let hashes = source_hashes(&documents);
    let entries = crate::load::lock::read(root)
        .ok()
        .flatten()
        .unwrap_or_default();
    for entry in &entries {
        found.locked += 1;
        let key = (
            entry.document.clone(),
            entry.language.clone(),
            entry.version.clone(),
        );
        let at = format!(
            "clause.lock: {} {} {}",
            entry.document, entry.language, entry.version
        );
        match hashes.get(&key) {
            None => mismatch(&at, "locked but not in the built documents.json".into()),
            Some(sha256) if *sha256 != entry.sha256 => mismatch(
                &at,
                format!(
                    "the built text's SHA-256 is {sha256}, the locked {}",
                    entry.sha256
                ),
            ),
            Some(_) => {}
        }
    }
    Ok(found)
}

/// Each version's `source_sha256` in a documents.json, by (document,
/// language, version).
fn source_hashes(json: &[u8]) -> BTreeMap<(String, String, String), String> {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return BTreeMap::new();
    };
    let mut found = BTreeMap::new();
    for doc in value["documents"].as_array().into_iter().flatten() {
        for language in doc["languages"].as_array().into_iter().flatten() {
            for version in language["versions"].as_array().into_iter().flatten() {
                let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
                found.insert(
                    (
                        text(&doc["key"]),
                        text(&language["language"]),
                        text(&version["version"]),
                    ),
                    text(&version["source_sha256"]),
                );
            }
        }
    }
    found
}
