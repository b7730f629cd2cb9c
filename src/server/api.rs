//! The client-facing types of a member moved to [`crate::api`] (issue 19): this module only
//! re-exports them at their old path so callers keep compiling until the import sweep.

pub use crate::api::authpb::*; // re-export until the import sweep (issue 19)
pub use crate::api::etcdserverpb::*; // re-export until the import sweep (issue 19)
pub use crate::api::mvccpb::*; // re-export until the import sweep (issue 19)
pub use crate::api::rpctypes::*; // re-export until the import sweep (issue 19)
