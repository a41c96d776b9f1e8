//! Reading what the user wrote, and checking it: `config.toml`, each content
//! file's front matter (the only caller of the YAML crate), variables in the
//! text, the theme's files, and `clause.lock`.
//!
//! May import `base` and `i18n`.

pub(crate) mod config;
pub(crate) mod content;
pub mod frontmatter;
pub(crate) mod lock;
pub(crate) mod theme;
pub(crate) mod variables;
