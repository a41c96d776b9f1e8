//! The base every stage stands on: diagnostics and their positions, file
//! stamps and the file cache, hashes, the site's layout and path rules,
//! atomic writes, and the longest-common-subsequence matching diffs use.
//!
//! Imports nothing from the crate outside `base/`.

pub mod diagnostics;
pub(crate) mod files;
pub mod hash;
pub(crate) mod layout;
pub(crate) mod lcs;
pub(crate) mod write;
