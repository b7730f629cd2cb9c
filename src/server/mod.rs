//! One etcd member: its Raft node, its disk, and the apply loop that feeds committed entries
//! to the MVCC store, the lessor, the auth store and the v2 store; and the edge where their
//! errors become the ones clients see ([`errors`]). The request and response types clients
//! see are protocol: they live in `crate::api`. [`member`]
//! is the member itself; the files beside it hold one concern each of what it does (see its
//! module doc).
//!
//! Owns: member and cluster IDs (as etcd computes them), response headers, the apply loop,
//! etcd's policy for client requests (routing, the learner check, admission).
//! Must not touch: the DOM, wall-clock time, threads or I/O.

pub mod apply;
pub mod apply_entries;
pub mod backend_file;
pub mod backup;
pub mod errors;
pub mod ids;
pub mod idutil;
pub mod member;
pub mod membership;
pub mod migrate;
pub mod payload;
mod proposals;
pub mod quota;
mod read_index;
mod ready;
pub mod requests;
pub mod restore;
pub mod snapshot;
pub mod snapshot_pieces;
pub mod watch;
