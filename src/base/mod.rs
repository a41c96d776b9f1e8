//! The base every stage stands on: diagnostics and their positions, file
//! stamps and the file cache, hashes, the site's layout and path rules,
//! portable names and the safe walk of a site folder, atomic writes, and
//! the longest-common-subsequence matching diffs use.
//!
//! Imports nothing from the crate outside `base/`.

pub mod codes;
pub mod diagnostics;
pub(crate) mod files;
pub mod hash;
pub(crate) mod layout;
pub(crate) mod lcs;
pub(crate) mod names;
pub(crate) mod walk;
pub(crate) mod write;
