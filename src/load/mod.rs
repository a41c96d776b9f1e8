//! Reading what the user wrote, and checking it: `config.toml`, each content
//! file's front matter (the only caller of the YAML crate), variables in the
//! text, the theme's files, and `clause.lock`.
//!
//! May import `base` and `i18n`.

pub mod config;
pub mod content;
pub mod frontmatter;
pub mod lock;
pub mod theme;
pub mod variables;
