//! Publishing the built output to object storage (issue 15, in progress):
//! what a deploy does is decided here as plain data before anything is
//! sent. `plan` compares the local output with the remote state (its
//! listing and the manifest the last deploy left there) and orders the
//! work so that no page is live before what it links to, refusing to
//! unpublish a version; `headers` gives each file its Content-Type and
//! Cache-Control. The transfer through the `object_store` crate and the
//! `deploy` and `verify` commands come next.
//!
//! May import every stage below: `base` .. `build`.

pub mod headers;
pub mod plan;
