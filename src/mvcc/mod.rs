//! etcd v3's multi-version key-value store: revisions, the key index with generations,
//! range, put, delete-range, txn, compaction, HashKV and watch.
//!
//! The layout follows etcd 3.4's `mvcc` package, one concept a file:
//!
//! - [`revision`]: `Revision {main, sub}`.
//! - [`error`]: the store's own errors (compacted, future revision); `server` maps them.
//! - [`key_index`]: one key's generations (`KeyIndex`, `Generation`).
//! - [`index`]: every key's index, ordered (`TreeIndex`), and [`index::RangeEnd`].
//! - [`bucket`]: the "key" bucket, revision → key-value, an append log.
//! - [`kvstore`]: the store (index + bucket), reads at any revision.
//! - [`kvstore_txn`]: a write transaction (one main revision, increasing sub revisions).
//! - [`kvstore_compaction`]: compaction at a revision (history below it dropped).
//! - [`restore`]: the store rebuilt from its bucket alone (a backend file read back).
//! - [`stored_pieces`]: the stored form written a piece at a time (a large snapshot between
//!   frames).
//! - [`hash`]: HashKV as etcd computes it.
//! - [`backend_size`]: the size of etcd's bolt file for what the store holds (DB SIZE, quota).
//! - [`watch`]: watchers replaying history and following live events.
//!
//! What etcdserver adds on top (request validation, txn compares, sort/limit/filters of a
//! range request, prev_kv) is in `server::apply`, as in etcd's `etcdserver/apply.go`.
//!
//! Imports only `crate::api` (and may import `crate::lease`, as etcd's mvcc imports its lease
//! package). Must not touch: Raft, the network, time (leases live in their own module
//! `crate::lease`), the wire texts of errors.

pub mod backend_size;
pub mod bucket;
pub mod error;
pub mod hash;
pub mod index;
pub mod key_index;
pub mod kvstore;
pub mod kvstore_compaction;
pub mod kvstore_txn;
pub mod restore;
pub mod revision;
pub mod stored_pieces;
pub mod watch;

pub use error::Error;
pub use index::RangeEnd;
pub use kvstore::{KvStore, RangeOptions, RangeResult, StoredKv};
pub use kvstore_txn::TxnWrite;
pub use revision::Revision;
