//! The one error enum of the Raft module.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RaftError {
    /// A configuration value is invalid; the text says which and why.
    InvalidConfig(String),
    /// The requested entries were compacted into a snapshot.
    Compacted,
    /// The requested entries are not available (beyond the last index).
    Unavailable,
    /// A snapshot is being prepared; try later.
    SnapshotTemporarilyUnavailable,
    /// The snapshot is older than the storage's.
    SnapshotOutOfDate,
    /// The proposal was dropped (no leader known, leadership transfer in progress, removed).
    ProposalDropped,
    /// Leadership transfer target is not a voter or is the node itself.
    BadTransferee,
}

impl fmt::Display for RaftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RaftError::InvalidConfig(s) => write!(f, "raft: invalid config: {s}"),
            RaftError::Compacted => f.write_str("requested index is unavailable due to compaction"),
            RaftError::Unavailable => f.write_str("requested entry at index is unavailable"),
            RaftError::SnapshotTemporarilyUnavailable => {
                f.write_str("snapshot is temporarily unavailable")
            }
            RaftError::SnapshotOutOfDate => {
                f.write_str("requested index is older than the existing snapshot")
            }
            RaftError::ProposalDropped => f.write_str("raft proposal dropped"),
            RaftError::BadTransferee => f.write_str("raft: bad leader transferee"),
        }
    }
}

impl std::error::Error for RaftError {}
