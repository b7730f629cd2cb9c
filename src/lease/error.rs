//! The lessor's own errors, worded as etcd's `lease` package words them (`ErrLeaseNotFound`,
//! `ErrLeaseExists`, `ErrLeaseTTLTooLarge`). `server` maps them to the errors a client sees
//! (`etcdserver: requested lease not found`, ...).
//!
//! Owns: the three errors. Must not touch: the wire texts of `api::rpctypes`.

use std::fmt;

/// Why the lessor refused a grant, revoke, renew or attach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// No lease with that ID (or the ID 0, which names no lease).
    NotFound,
    /// A lease with that ID is already granted.
    Exists,
    /// The TTL is above [`MAX_LEASE_TTL`](super::MAX_LEASE_TTL).
    TtlTooLarge,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::NotFound => "lease not found",
            Error::Exists => "lease already exists",
            Error::TtlTooLarge => "too large lease TTL",
        })
    }
}

impl std::error::Error for Error {}
