//! The manifest a deploy publishes with the site (`clause-manifest.json`):
//! every file's SHA-256, size and headers, and the tag the target gave the
//! object. The next deploy reads it to know what it wrote (and so what
//! someone else changed since); `verify` reads it to prove that the live
//! site is the built one; on a folder target it is where the headers are
//! recorded, since files cannot hold them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::plan::Recorded;

/// Where the manifest is published, at the top of the site.
pub const MANIFEST: &str = "clause-manifest.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub generator: String,
    pub files: BTreeMap<String, File>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    pub cache_control: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
}

impl Manifest {
    /// The manifest in a deploy's target, or an error saying what is wrong with it.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// Its text: sorted, so the same files give the same bytes.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// What the deploy that wrote it recorded of each file.
    pub fn recorded(&self) -> BTreeMap<String, Recorded> {
        self.files
            .iter()
            .map(|(path, file)| {
                let recorded = Recorded {
                    sha256: file.sha256.clone(),
                    size: file.size,
                    headers: (file.content_type.clone(), file.cache_control.clone()),
                    e_tag: file.e_tag.clone(),
                };
                (path.clone(), recorded)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_it_does_not_know() {
        let mut manifest = Manifest {
            generator: "clause 0.1.0".into(),
            files: BTreeMap::new(),
        };
        manifest.files.insert(
            "index.html".into(),
            File {
                sha256: "ab".into(),
                size: 2,
                content_type: "text/html; charset=utf-8".into(),
                cache_control: "public, max-age=0, must-revalidate".into(),
                e_tag: None,
            },
        );
        let text = manifest.to_json();
        assert_eq!(Manifest::parse(text.as_bytes()).unwrap(), manifest);
        assert!(!text.contains("e_tag"));
        assert!(Manifest::parse(b"{\"generator\": \"x\", \"files\": {}, \"extra\": 1}").is_err());
    }
}
