//! `KvStore`: etcd's revisioned key-value store (`mvcc/kvstore.go`).
//!
//! Two parts, as in etcd: the in-memory [`TreeIndex`] (key → generations of revisions) and the
//! "key" bucket (revision → the key-value written at that revision, or a tombstone), which is
//! what etcd keeps in bolt. Reads at any revision not compacted away are answered from them.
//! Writes go through a [`TxnWrite`](super::kvstore_txn::TxnWrite); compaction and HashKV live
//! in `kvstore_compaction.rs` and `hash.rs`.
//!
//! Owns: the index, the bucket, `current_rev`, `compact_main_rev`. Must not touch: leases
//! (the lessor attaches keys from the changes a write returns), Raft, time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::index::{RangeEnd, TreeIndex};
use super::revision::Revision;
use crate::server::api::{errors, EtcdError, KeyValue};

/// One entry of the "key" bucket: what was written at a revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredKv {
    #[serde(with = "crate::server::bytes")]
    pub key: Vec<u8>,
    #[serde(with = "crate::server::bytes")]
    pub value: Vec<u8>,
    pub create_revision: i64,
    pub version: i64,
    pub lease: i64,
    /// A delete: etcd stores only the key, under a revision key marked `t`.
    pub tombstone: bool,
}

impl StoredKv {
    /// [`to_key_value`](Self::to_key_value) without the value.
    pub fn to_key_only(&self, rev: Revision) -> KeyValue {
        if self.tombstone {
            return self.to_key_value(rev);
        }
        KeyValue {
            key: self.key.clone(),
            create_revision: self.create_revision,
            mod_revision: rev.main,
            version: self.version,
            value: Vec::new(),
            lease: self.lease,
        }
    }

    /// The `mvccpb.KeyValue` as etcd stores it at `rev`.
    pub fn to_key_value(&self, rev: Revision) -> KeyValue {
        if self.tombstone {
            KeyValue {
                key: self.key.clone(),
                ..KeyValue::default()
            }
        } else {
            KeyValue {
                key: self.key.clone(),
                create_revision: self.create_revision,
                mod_revision: rev.main,
                version: self.version,
                value: self.value.clone(),
                lease: self.lease,
            }
        }
    }
}

/// `mvcc.RangeOptions`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RangeOptions {
    /// At most this many key-values (0: no limit).
    pub limit: i64,
    /// The revision to read at (0 or less: the current one).
    pub rev: i64,
    /// Count only, return no key-values.
    pub count: bool,
    /// Return the key-values without their values (not copied at all).
    pub keys_only: bool,
}

/// `mvcc.RangeResult`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeResult {
    pub kvs: Vec<KeyValue>,
    /// How many keys the range holds at the revision (before the limit).
    pub count: i64,
    /// The revision of the store the read saw.
    pub rev: i64,
}

/// The store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KvStore {
    pub(crate) index: TreeIndex,
    #[serde(with = "super::serde_pairs")]
    pub(crate) bucket: BTreeMap<Revision, StoredKv>,
    /// The revision of the last completed write transaction (1 for a new store).
    pub(crate) current_rev: i64,
    /// The main revision of the last compaction (-1: never compacted).
    pub(crate) compact_main_rev: i64,
}

impl Default for KvStore {
    fn default() -> Self {
        KvStore {
            index: TreeIndex::new(),
            bucket: BTreeMap::new(),
            current_rev: 1,
            compact_main_rev: -1,
        }
    }
}

impl KvStore {
    pub fn new() -> Self {
        KvStore::default()
    }

    /// The current revision.
    pub fn rev(&self) -> i64 {
        self.current_rev
    }

    /// The revision of the last compaction (-1 if never compacted).
    pub fn compact_rev(&self) -> i64 {
        self.compact_main_rev
    }

    /// The first revision still readable (etcd's `FirstRev`): the compaction revision.
    pub fn first_rev(&self) -> i64 {
        self.compact_main_rev
    }

    /// Number of keys in the index (live or with history).
    pub fn key_count(&self) -> usize {
        self.index.len()
    }

    /// Number of revisions in the bucket.
    pub fn revision_count(&self) -> usize {
        self.bucket.len()
    }

    /// The index entry of a key (its generations), for pictures of a key's history.
    pub fn key_index(&self, key: &[u8]) -> Option<&super::key_index::KeyIndex> {
        self.index.key_index(key)
    }

    /// The bucket entries, in revision order (for pictures of the history and for HashKV).
    pub fn history(&self) -> impl Iterator<Item = (&Revision, &StoredKv)> {
        self.bucket.iter()
    }

    /// Reads `[key, end)` as of the store's current revision.
    pub fn range(
        &self,
        key: &[u8],
        end: RangeEnd<'_>,
        ro: RangeOptions,
    ) -> Result<RangeResult, EtcdError> {
        self.range_keys(key, end, self.current_rev, ro)
    }

    /// etcd's `rangeKeys`: a read of `[key, end)` at `ro.rev` when the store is at `cur_rev`.
    pub(crate) fn range_keys(
        &self,
        key: &[u8],
        end: RangeEnd<'_>,
        cur_rev: i64,
        ro: RangeOptions,
    ) -> Result<RangeResult, EtcdError> {
        let mut rev = ro.rev;
        if rev > cur_rev {
            return Err(errors::future_rev());
        }
        if rev <= 0 {
            rev = cur_rev;
        }
        if rev < self.compact_main_rev {
            return Err(errors::compacted());
        }
        let mut count = 0i64;
        let limit = if ro.limit <= 0 {
            usize::MAX
        } else {
            usize::try_from(ro.limit).unwrap_or(usize::MAX)
        };
        let mut kvs = Vec::new();
        let bucket = &self.bucket;
        self.index.visit(key, end, |ki| {
            if !ro.count && kvs.len() < limit {
                if let Ok(at) = ki.get(rev) {
                    count += 1;
                    if let Some(s) = bucket.get(&at.modified) {
                        kvs.push(if ro.keys_only {
                            s.to_key_only(at.modified)
                        } else {
                            s.to_key_value(at.modified)
                        });
                    }
                }
            } else if ki.exists_at(rev) {
                // Past the limit only the count is wanted.
                count += 1;
            }
            true
        });
        Ok(RangeResult {
            kvs,
            count,
            rev: cur_rev,
        })
    }

    /// The value stored at a revision (for watch replay and tests).
    pub fn at_revision(&self, rev: Revision) -> Option<&StoredKv> {
        self.bucket.get(&rev)
    }
}
