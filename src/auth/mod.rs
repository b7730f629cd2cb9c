//! Authentication and authorisation: etcd 3.4's auth store (`auth/store.go`,
//! `auth/range_perm_cache.go`, `auth/simple_token.go`, `etcdserver/apply_auth.go`).
//!
//! - [`store`]: users (bcrypt-hashed passwords), roles, key permissions, enable/disable,
//!   simple tokens, and the permission check of every request kind.
//! - [`range_perm`]: the interval logic deciding whether a user's merged permissions cover a
//!   key or a range.
//! - [`password`]: bcrypt hashing in Go's `$2a$` format with a salt from a seeded RNG.
//! - [`error`]: the store's own errors; `server` maps them to etcd's wire texts.
//!
//! Owns: the auth state. Imports only `crate::api`. Must not touch: the MVCC store, the clock,
//! the OS RNG, the wire texts of errors.

pub mod error;
pub mod password;
pub mod range_perm;
pub mod store;

pub use error::Error;
pub use store::{AuthStore, Role, User, ROOT_ROLE, ROOT_USER};
