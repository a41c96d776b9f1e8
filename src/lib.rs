//! clause: a static site generator for legal documents.
//!
//! Data flows one way: [`config`] -> [`content`] (with [`frontmatter`] and
//! [`variables`]) ->
//! [`model`] -> [`render`] (each document's bodies with [`markdown`], its
//! redlines with [`diff`] on [`lcs`], its pages with [`view`] and
//! [`templates`], and its parts of [`publish`]) -> [`links`] -> [`output`],
//! which stages every file as it is rendered and commits them all only if
//! the build succeeds. [`site`] runs the steps and holds the cache `watch`
//! keeps between builds. The library never prints; problems come back as
//! [`diagnostics::Diagnostic`] values.

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
pub mod variables;
pub mod view;
pub mod watch;
