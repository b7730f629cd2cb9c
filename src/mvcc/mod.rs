//! etcd v3's multi-version key-value store: revisions, the key index with generations,
//! range, put, delete-range, txn, compaction, HashKV and watch.
//!
//! Must not touch: Raft, the network, time (leases live in their own module).
