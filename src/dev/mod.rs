//! Local preview: `watch` rebuilds on every change, keeping the build's cache
//! between builds; `serve` is the preview server with live reload.
//!
//! May import every stage below (`build` and down).

pub mod serve;
pub mod watch;
