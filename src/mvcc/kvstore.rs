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

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::bucket::Bucket;
use super::error::Error;
use super::index::{RangeEnd, TreeIndex};
use super::revision::Revision;
use crate::api::KeyValue;

/// A stored value: up to 16 bytes are kept inside the bucket entry itself (no allocation;
/// the entry is no bigger than with a `Vec`), longer ones on the heap.
pub type Value = smallvec::SmallVec<[u8; 16]>;

/// One entry of the "key" bucket: what was written at a revision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredKv {
    /// Shared with the key index (one copy of the key however many revisions it has).
    #[serde(with = "crate::api::bytes::shared")]
    pub key: Arc<[u8]>,
    #[serde(with = "crate::api::bytes::small")]
    pub value: Value,
    pub create_revision: i64,
    pub version: i64,
    pub lease: i64,
    /// A delete: etcd stores only the key, under a revision key marked `t`.
    pub tombstone: bool,
    /// The key's previous revision in the same generation (`{0, 0}` for the put that created
    /// it, or when older ones were compacted): the chain the key index walks for reads in the
    /// past. Not stored; rebuilt from the stored key index.
    #[serde(skip)]
    pub prev: Revision,
}

impl StoredKv {
    /// [`to_key_value`](Self::to_key_value) without the value.
    pub fn to_key_only(&self, rev: Revision) -> KeyValue {
        if self.tombstone {
            return self.to_key_value(rev);
        }
        KeyValue {
            key: self.key.to_vec(),
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
                key: self.key.to_vec(),
                ..KeyValue::default()
            }
        } else {
            KeyValue {
                key: self.key.to_vec(),
                create_revision: self.create_revision,
                mod_revision: rev.main,
                version: self.version,
                value: self.value.to_vec(),
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvStore {
    pub(crate) index: TreeIndex,
    pub(crate) bucket: Bucket,
    /// The revision of the last completed write transaction (1 for a new store).
    pub(crate) current_rev: i64,
    /// The main revision of the last compaction (-1: never compacted).
    pub(crate) compact_main_rev: i64,
}

impl Default for KvStore {
    fn default() -> Self {
        KvStore {
            index: TreeIndex::new(),
            bucket: Bucket::new(),
            current_rev: 1,
            compact_main_rev: -1,
        }
    }
}

/// The stored form of the store (the key index lists every revision; the bucket's links are
/// rebuilt from it).
#[derive(Serialize)]
#[serde(rename = "KvStore")]
struct StoredKvStoreRef<'a> {
    index: super::index::StoredTreeIndexRef<'a, Bucket>,
    bucket: &'a Bucket,
    current_rev: i64,
    compact_main_rev: i64,
}

#[derive(Deserialize)]
struct StoredKvStore {
    index: super::index::StoredTreeIndex,
    bucket: Bucket,
    current_rev: i64,
    compact_main_rev: i64,
}

impl Serialize for KvStore {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StoredKvStoreRef {
            index: self.index.to_stored(&self.bucket),
            bucket: &self.bucket,
            current_rev: self.current_rev,
            compact_main_rev: self.compact_main_rev,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for KvStore {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let StoredKvStore {
            index,
            mut bucket,
            current_rev,
            compact_main_rev,
        } = StoredKvStore::deserialize(d)?;
        let index = index.into_index(|rev, prev| bucket.link(rev, prev));
        Ok(KvStore {
            index,
            bucket,
            current_rev,
            compact_main_rev,
        })
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

    /// The bucket entries from main revision `rev` on, in revision order.
    pub fn history_from(&self, rev: i64) -> impl Iterator<Item = (&Revision, &StoredKv)> {
        self.bucket.iter_from(Revision::new(rev, 0))
    }

    /// Reads `[key, end)` as of the store's current revision.
    pub fn range(
        &self,
        key: &[u8],
        end: RangeEnd<'_>,
        ro: RangeOptions,
    ) -> Result<RangeResult, Error> {
        self.range_keys(key, end, self.current_rev, ro)
    }

    /// etcd's `rangeKeys`: a read of `[key, end)` at `ro.rev` when the store is at `cur_rev`.
    pub(crate) fn range_keys(
        &self,
        key: &[u8],
        end: RangeEnd<'_>,
        cur_rev: i64,
        ro: RangeOptions,
    ) -> Result<RangeResult, Error> {
        let mut rev = ro.rev;
        if rev > cur_rev {
            return Err(Error::FutureRev);
        }
        if rev <= 0 {
            rev = cur_rev;
        }
        if rev < self.compact_main_rev {
            return Err(Error::Compacted);
        }
        let mut count = 0i64;
        let limit = if ro.limit <= 0 {
            usize::MAX
        } else {
            usize::try_from(ro.limit).unwrap_or(usize::MAX)
        };
        let mut kvs = Vec::new();
        let bucket = &self.bucket;
        // At the newest revision the index counts by itself (see `TreeIndex::count_live`):
        // the walk stops once the key-values wanted are collected.
        let at_newest = rev == cur_rev;
        let mut stopped = false;
        self.index.visit(key, end, |ki| {
            if !ro.count && kvs.len() < limit {
                if let Ok(at) = ki.get(bucket, rev) {
                    count += 1;
                    if let Some(s) = bucket.get(&at.modified) {
                        kvs.push(if ro.keys_only {
                            s.to_key_only(at.modified)
                        } else {
                            s.to_key_value(at.modified)
                        });
                    }
                }
                true
            } else if at_newest {
                stopped = true;
                false
            } else {
                // Past the limit only the count is wanted.
                count += i64::from(ki.exists_at(bucket, rev));
                true
            }
        });
        if stopped {
            count = i64::try_from(self.index.count_live(key, end)).unwrap_or(i64::MAX);
        }
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
