//! clause: a static site generator for legal documents.
//!
//! Data flows one way: [`config`] -> [`content`] (with [`frontmatter`]) ->
//! [`model`] (with [`markdown`]) -> [`render`] (with [`view`] and
//! [`templates`]) -> [`output`]. [`site`] runs the steps. The library never
//! prints; problems come back as [`diagnostics::Diagnostic`] values.

pub mod cache;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod diff;
pub mod frontmatter;
pub mod i18n;
pub mod lcs;
pub mod links;
pub mod lock;
pub mod markdown;
pub mod model;
pub mod output;
pub mod publish;
pub mod render;
pub mod serve;
pub mod site;
pub mod templates;
pub mod theme;
pub mod translations;
pub mod urls;
pub mod view;
pub mod watch;
