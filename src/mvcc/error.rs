//! The MVCC store's own errors, worded as etcd's `mvcc` package words them
//! (`ErrCompacted`, `ErrFutureRev`). `server` maps them to the errors a client sees
//! (`etcdserver: mvcc: required revision has been compacted`, gRPC `OutOfRange`).
//!
//! Owns: the two errors. Must not touch: the wire texts of `api::rpctypes`.

use std::fmt;

/// Why a read, a compaction or a hash at a revision was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The revision is below the compacted revision (`mvcc.ErrCompacted`).
    Compacted,
    /// The revision is above the current revision (`mvcc.ErrFutureRev`).
    FutureRev,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::Compacted => "mvcc: required revision has been compacted",
            Error::FutureRev => "mvcc: required revision is a future revision",
        })
    }
}

impl std::error::Error for Error {}
