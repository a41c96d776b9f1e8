//! clause: a static site generator for legal documents.
//!
//! The folders are the stages of a build, and each imports only from the
//! folders above it in this list (`tests/layers.rs` checks it):
//!
//! - [`base`]: diagnostics, file stamps and hashes, the site's layout and path
//!   rules, atomic writes, the sequence matching diffs use.
//! - [`i18n`]: the theme's words and dates in each language.
//! - [`load`]: what the user wrote, read and checked: config.toml, front
//!   matter, variables, content files, the theme, clause.lock.
//! - [`model`]: the site as documents, editions and versions with their URLs;
//!   Markdown bodies, redlines and translations.
//! - [`render`]: pages through the templates, and the publish formats.
//! - [`output`]: staging files and committing them into the output folder.
//! - [`build`]: the pipeline as named steps, its cache, link checks, and the
//!   lock and diff operations.
//! - [`deploy`]: publishing the output to object storage (being built).
//! - [`dev`]: `watch` and `serve`.
//!
//! The binary (`src/main.rs`, `src/cli/`) sits on top. The library never
//! prints; problems come back as [`base::diagnostics::Diagnostic`] values.

pub mod base;
pub mod build;
pub mod deploy;
pub mod dev;
pub(crate) mod i18n;
pub mod load;
pub mod model;
pub mod output;
pub(crate) mod render;
