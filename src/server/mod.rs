//! One etcd member: its Raft node, its disk, and the apply loop that feeds committed entries
//! to the MVCC store, the lessor, the auth store and the v2 store; plus the request and
//! response types that clients see ([`api`]).
//!
//! Owns: member and cluster IDs (as etcd computes them), response headers, the apply loop.
//! Must not touch: the DOM, wall-clock time, threads or I/O.

pub mod api;
pub mod apply;
pub mod bytes;
pub mod ids;
pub mod idutil;
pub mod member;
