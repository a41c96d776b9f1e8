//! The target of a deploy, through the `object_store` crate (the only caller
//! of it): S3 and S3-compatible stores (`s3://bucket/prefix`), Google Cloud
//! Storage (`gs://`), Azure Blob Storage (`az://`) and a folder
//! (`file:///path`); and, for reading only, a live site over HTTP(S)
//! (`https://legal.example.com/`). Credentials and endpoints come from each service's
//! usual environment variables (for S3: AWS_ACCESS_KEY_ID,
//! AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL), never from
//! config.toml. The crate is asynchronous; a deploy is a sequence of steps,
//! so each call runs to completion on a small runtime of its own.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures::TryStreamExt;
use object_store::path::Path as StorePath;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};

use super::plan::Listed;

/// Why the target could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "`{0}` is not a target URL (help: use s3://bucket/prefix, gs://bucket/prefix, az://container/prefix or file:///absolute/folder)"
    )]
    Url(String),
    #[error("{0}")]
    Store(#[from] object_store::Error),
    #[error("cannot start the transfer runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// An opened target.
pub struct Target {
    store: Arc<dyn ObjectStore>,
    prefix: StorePath,
    runtime: tokio::runtime::Runtime,
    /// Whether objects keep their headers (a folder cannot).
    pub holds_headers: bool,
}

impl Target {
    /// Opens the target at `url`, reading credentials from the environment.
    pub fn open(url: &str) -> Result<Target, StoreError> {
        let parsed = url::Url::parse(url).map_err(|_| StoreError::Url(url.to_string()))?;
        let holds_headers = parsed.scheme() != "file";
        if !holds_headers && !url.starts_with("file:///") {
            return Err(StoreError::Url(url.to_string()));
        }
        let mut options: Vec<(String, String)> = std::env::vars()
            .filter(|(key, _)| {
                ["AWS_", "GOOGLE_", "AZURE_"]
                    .iter()
                    .any(|service| key.starts_with(service))
            })
            .collect();
        if parsed.scheme() == "http" {
            // A live site on a local server (`verify --url http://...`).
            options.push(("allow_http".to_string(), "true".to_string()));
        }
        let (store, prefix) = object_store::parse_url_opts(&parsed, options)?;
        if !holds_headers {
            // A folder target is created if it does not exist yet.
            std::fs::create_dir_all(parsed.path())?;
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Target {
            store: Arc::from(store),
            prefix,
            runtime,
            holds_headers,
        })
    }

    fn location(&self, path: &str) -> StorePath {
        path.split('/')
            .fold(self.prefix.clone(), |location, part| location.join(part))
    }

    /// Every object under the prefix, by its path below it.
    pub fn list(&self) -> Result<BTreeMap<String, Listed>, StoreError> {
        let prefix = self.prefix.clone();
        let found: Vec<object_store::ObjectMeta> = self
            .runtime
            .block_on(self.store.list(Some(&prefix)).try_collect())?;
        Ok(found
            .into_iter()
            .filter_map(|meta| {
                let relative: Vec<String> = meta
                    .location
                    .prefix_match(&prefix)?
                    .map(|part| part.as_ref().to_string())
                    .collect();
                Some((
                    relative.join("/"),
                    Listed {
                        size: meta.size,
                        e_tag: meta.e_tag,
                    },
                ))
            })
            .collect())
    }

    /// The bytes of the object at `path`, if there is one.
    pub fn get(&self, path: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let location = self.location(path);
        self.runtime.block_on(async {
            match self.store.get(&location).await {
                Ok(found) => Ok(Some(found.bytes().await?.to_vec())),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e.into()),
            }
        })
    }

    /// Writes `bytes` at `path` with its headers (where the target keeps
    /// headers); returns the object's new tag, if the target gives one.
    pub fn put(
        &self,
        path: &str,
        bytes: Vec<u8>,
        content_type: &str,
        cache_control: &str,
    ) -> Result<Option<String>, StoreError> {
        let mut attributes = Attributes::new();
        if self.holds_headers {
            attributes.insert(Attribute::ContentType, content_type.to_string().into());
            attributes.insert(Attribute::CacheControl, cache_control.to_string().into());
        }
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        let location = self.location(path);
        let written = self.runtime.block_on(self.store.put_opts(
            &location,
            PutPayload::from(bytes),
            options,
        ))?;
        Ok(written.e_tag)
    }

    /// Deletes the object at `path`.
    pub fn delete(&self, path: &str) -> Result<(), StoreError> {
        let location = self.location(path);
        self.runtime.block_on(self.store.delete(&location))?;
        Ok(())
    }
}
