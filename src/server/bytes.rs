//! The byte-string serde helpers moved to [`crate::api::bytes`] (issue 19): this module only
//! re-exports them at their old path so callers keep compiling until the import sweep.

pub use crate::api::bytes::{deserialize, postcard_append, serialize, shared, small}; // re-export until the import sweep (issue 19)
