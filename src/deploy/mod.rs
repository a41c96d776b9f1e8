//! Publishing the built output to object storage (`clause deploy`). What a
//! deploy does is decided first, as plain data (`plan`): the local output
//! against the target's listing and the manifest the last deploy left
//! there, ordered so that no page is live before what it links to, and
//! refused when it would unpublish a version or delete too much. Then the
//! steps run in that order through `store` (the only caller of the
//! `object_store` crate), each file with its headers (`headers`), and the
//! new manifest (`manifest`) goes last. `verify` proves afterwards that
//! the live site is the build, and the build the locked text.
//!
//! May import every stage below: `base` .. `build`.

pub mod headers;
pub mod manifest;
pub mod plan;
pub mod store;
pub mod verify;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::base::diagnostics::Diagnostic;
use crate::base::write::TEMP_SUFFIX;
use crate::output::MARKER;

use self::manifest::{MANIFEST, Manifest};
use self::plan::{Action, Local, Plan, Refusal, Remote, Step};
use self::store::{StoreError, Target};

/// More deletions than this stop a deploy unless config.toml or
/// `--max-deletes` says otherwise.
pub const DEFAULT_MAX_DELETES: usize = 256;

/// What a deploy works from, read from config.toml.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The built output folder.
    pub output: PathBuf,
    /// The site's `base_url`, for the URLs of changed files.
    pub base_url: String,
    /// The path of `base_url` (`/`, or `/legal/`), which `_redirects` starts with.
    pub base_path: String,
    /// `[deploy] target`, if set.
    pub target: Option<String>,
    /// `[deploy] max_deletes`, if set.
    pub max_deletes: Option<usize>,
    /// `[[deploy.headers]]`.
    pub header_rules: Vec<headers::Rule>,
}

/// Reads the deploy's settings from the site at `root`; `output` replaces
/// the configured output folder.
pub fn settings(root: &Path, output: Option<&Path>) -> Result<Settings, Vec<Diagnostic>> {
    let files = crate::base::files::FileCache::default();
    let (config, _) = crate::build::load_config(root, &files)?;
    Ok(Settings {
        output: output.map_or_else(|| root.join(&config.output_dir), Path::to_path_buf),
        base_url: config.base_url.clone(),
        base_path: config.base_path.clone(),
        target: config.deploy.target.clone(),
        max_deletes: config.deploy.max_deletes,
        header_rules: config.deploy.headers.clone(),
    })
}

/// One deploy.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub settings: &'a Settings,
    pub target: &'a str,
    pub dry_run: bool,
    pub options: plan::Options,
}

/// What a deploy reports while it runs.
pub enum Event<'a> {
    /// The plan, before anything is sent.
    Planned(&'a Plan),
    /// Step `done` of `total` is complete.
    Progress {
        done: usize,
        total: usize,
        step: &'a Step,
    },
}

/// What a deploy did.
#[derive(Debug)]
pub struct Done {
    pub plan: Plan,
    /// The absolute URLs whose bytes changed or went away, for a CDN purge.
    pub changed_urls: Vec<String>,
    /// Whether the manifest was written (nothing changed: it was not).
    pub manifest_written: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("{0} holds no built site (help: run `clause build` first)")]
    NotBuilt(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the target's {MANIFEST} is not one clause wrote: {0} (help: deploy to a prefix of its own)"
    )]
    Manifest(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("cannot {action} `{path}`: {source}")]
    Step {
        action: &'static str,
        path: String,
        source: StoreError,
    },
    #[error("the deploy was refused")]
    Refused(Vec<Refusal>),
}

/// Deploys the built output to the target, reporting as it goes.
pub fn deploy(
    request: &Request<'_>,
    report: &mut dyn FnMut(Event<'_>),
) -> Result<Done, DeployError> {
    let output = &request.settings.output;
    let local = read_output(output, &request.settings.header_rules)?;
    let target = Target::open(request.target)?;
    let mut listing = target.list()?;
    listing.remove(MANIFEST);
    let previous = match target.get(MANIFEST)? {
        Some(bytes) => Manifest::parse(&bytes).map_err(DeployError::Manifest)?,
        None => Manifest::default(),
    };
    let remote = Remote {
        listing,
        recorded: previous.recorded(),
        published_versions: published_versions(
            target.get("documents.json")?.as_deref(),
            &request.settings.base_url,
        ),
    };
    let redirects = redirect_pages(output, &request.settings.base_path);
    let plan =
        plan::plan(&local, &remote, &redirects, request.options).map_err(DeployError::Refused)?;
    report(Event::Planned(&plan));
    let changed_urls: Vec<String> = plan
        .steps
        .iter()
        .map(|step| url_of(&request.settings.base_url, &step.path))
        .collect();
    if request.dry_run {
        return Ok(Done {
            plan,
            changed_urls,
            manifest_written: false,
        });
    }

    let by_path: BTreeMap<&str, &Local> = local.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut tags: BTreeMap<&str, Option<String>> = BTreeMap::new();
    let total = plan.steps.len();
    for (done, step) in plan.steps.iter().enumerate() {
        match step.action {
            Action::Upload | Action::Replace => {
                let file = output.join(&step.path);
                let bytes = std::fs::read(&file).map_err(|source| DeployError::Read {
                    path: file.clone(),
                    source,
                })?;
                let (content_type, cache_control) = &by_path[step.path.as_str()].headers;
                let tag = target
                    .put(&step.path, bytes, content_type, cache_control)
                    .map_err(|source| DeployError::Step {
                        action: "upload",
                        path: step.path.clone(),
                        source,
                    })?;
                tags.insert(&step.path, tag);
            }
            Action::Delete => target
                .delete(&step.path)
                .map_err(|source| DeployError::Step {
                    action: "delete",
                    path: step.path.clone(),
                    source,
                })?,
        }
        report(Event::Progress {
            done: done + 1,
            total,
            step,
        });
    }
    // The manifest goes last: until it is written, the last deploy's still
    // describes what it wrote, and a rerun completes the deploy.
    let manifest = Manifest {
        generator: format!("clause {}", env!("CARGO_PKG_VERSION")),
        files: local
            .iter()
            .map(|file| {
                let e_tag = match tags.get(file.path.as_str()) {
                    Some(tag) => tag.clone(),
                    None => previous.files.get(&file.path).and_then(|f| f.e_tag.clone()),
                };
                let entry = manifest::File {
                    sha256: file.sha256.clone(),
                    size: file.size,
                    content_type: file.headers.0.clone(),
                    cache_control: file.headers.1.clone(),
                    e_tag,
                };
                (file.path.clone(), entry)
            })
            .collect(),
    };
    let manifest_written = manifest != previous;
    if manifest_written {
        target.put(
            MANIFEST,
            manifest.to_json().into_bytes(),
            headers::content_type(MANIFEST),
            headers::REVALIDATE,
        )?;
    }
    Ok(Done {
        plan,
        changed_urls,
        manifest_written,
    })
}

/// Every file of the built output with its hash, in path order; the
/// output marker, staged temporary files and a manifest are not the site's.
pub(crate) fn read_output(
    output: &Path,
    rules: &[headers::Rule],
) -> Result<Vec<Local>, DeployError> {
    if !output.join(MARKER).is_file() {
        return Err(DeployError::NotBuilt(output.to_path_buf()));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.map_err(|e| DeployError::Read {
            path: e
                .path()
                .map_or_else(|| output.to_path_buf(), Path::to_path_buf),
            source: e.into(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(output)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let name = relative.rsplit('/').next().unwrap_or(&relative);
        if relative == MARKER || relative == MANIFEST || name.ends_with(TEMP_SUFFIX) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|source| DeployError::Read {
            path: entry.path().to_path_buf(),
            source,
        })?;
        files.push(Local {
            headers: headers::for_path(&relative, rules),
            path: relative,
            sha256: crate::base::hash::sha256(&bytes),
            size: bytes.len() as u64,
        });
    }
    Ok(files)
}

/// The folders of the versions a live documents.json lists
/// (`privacy/versions/2025-03-01/`), relative to the site.
fn published_versions(documents: Option<&[u8]>, base_url: &str) -> BTreeSet<String> {
    let Some(json) = documents.and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
    else {
        return BTreeSet::new();
    };
    let urls = json["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|doc| doc["languages"].as_array().into_iter().flatten())
        .flat_map(|language| language["versions"].as_array().into_iter().flatten())
        .filter_map(|version| version["url"].as_str());
    urls.filter_map(|url| url.strip_prefix(base_url))
        .filter(|folder| !folder.is_empty())
        .map(str::to_string)
        .collect()
}

/// The output paths of the site's redirect pages, from its `_redirects`
/// (whose addresses start with the site's `base_path`).
fn redirect_pages(output: &Path, base_path: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(output.join("_redirects")).unwrap_or_default();
    text.lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter_map(|from| from.strip_prefix(base_path))
        .map(|path| {
            if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            }
        })
        .collect()
}

/// The absolute URL a file is served at (`privacy/index.html` is
/// `https://legal.example.com/privacy/`).
fn url_of(base_url: &str, path: &str) -> String {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    format!("{base_url}{path}")
}
