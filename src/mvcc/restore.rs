//! The store rebuilt from the "key" bucket alone, as etcd's `kvstore.restore` does when it
//! opens a backend file (a restored snapshot, a real etcd's data): entries are replayed in
//! revision order into the key index — a key first met alive starts a generation at its
//! stored create revision and version, later puts extend it, a tombstone ends it; a tombstone
//! of a key not met before (its puts were compacted away) stays in the bucket only.
//!
//! Owns: [`KvStore::from_bucket`]. Must not touch: the file's format (the caller decodes it).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::backend_size::{entry_bytes, BackendSize};
use super::bucket::Bucket;
use super::index::TreeIndex;
use super::key_index::KeyIndex;
use super::kvstore::{KvStore, StoredKv};
use super::revision::Revision;

impl KvStore {
    /// The store holding `entries` (in any order; one per revision), compacted at
    /// `compact_main_rev` (-1: never).
    pub fn from_bucket(mut entries: Vec<(Revision, StoredKv)>, compact_main_rev: i64) -> KvStore {
        crate::sort::sort_by_key(&mut entries, |(r, _)| *r);
        entries.dedup_by_key(|(r, _)| *r);
        let mut keys: BTreeMap<Arc<[u8]>, KeyIndex> = BTreeMap::new();
        let mut bucket = Bucket::new();
        let mut stored = 0;
        let mut current_rev = 1;
        for (rev, mut kv) in entries {
            current_rev = rev.main;
            stored += entry_bytes(rev, &kv);
            let prev = match keys.get_mut(&kv.key[..]) {
                Some(ki) => {
                    kv.key = ki.key.clone();
                    if kv.tombstone {
                        ki.tombstone(rev).ok().flatten()
                    } else {
                        ki.put(rev).ok().flatten()
                    }
                }
                None if !kv.tombstone => {
                    let mut ki = KeyIndex::new(kv.key.to_vec());
                    kv.key = ki.key.clone();
                    let _ = ki.put(rev);
                    if let Some(g) = ki.generations.last_mut() {
                        g.created = Revision::new(kv.create_revision, 0);
                        g.ver = kv.version;
                    }
                    keys.insert(ki.key.clone(), ki);
                    None
                }
                None => None,
            };
            kv.prev = prev.unwrap_or_default();
            bucket.insert(rev, kv);
        }
        KvStore {
            index: TreeIndex::from_key_indexes(keys.into_values()),
            bucket,
            current_rev: current_rev.max(compact_main_rev).max(1),
            compact_main_rev,
            backend: BackendSize::with_stored(stored),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mvcc::{RangeOptions, TxnWrite};

    fn history(s: &KvStore) -> Vec<(Revision, StoredKv)> {
        s.history().map(|(r, kv)| (*r, kv.clone())).collect()
    }

    #[test]
    fn a_store_rebuilt_from_its_bucket_reads_the_same_at_every_revision() {
        let mut s = KvStore::new();
        for (k, v) in [("a", "1"), ("b", "2"), ("a", "3")] {
            let mut t = TxnWrite::new(&mut s);
            t.put(k.as_bytes(), v.as_bytes(), 0);
            t.end_quiet();
        }
        let mut t = TxnWrite::new(&mut s);
        t.delete_range(b"a", crate::mvcc::RangeEnd::from_request(b""));
        t.end_quiet();
        let mut t = TxnWrite::new(&mut s);
        t.put(b"a", b"4", 0);
        t.put(b"c", b"5", 0);
        t.end_quiet();
        let r = KvStore::from_bucket(history(&s), s.compact_rev());
        assert_eq!(r.rev(), s.rev());
        for rev in 0..=s.rev() {
            let opts = RangeOptions {
                rev,
                ..RangeOptions::default()
            };
            let end = crate::mvcc::RangeEnd::from_request(b"\0");
            assert_eq!(
                r.range(b"", end, opts).map(|x| x.kvs),
                s.range(b"", end, opts).map(|x| x.kvs),
                "at {rev}"
            );
        }
        assert_eq!(r.hash_by_rev(0), s.hash_by_rev(0));
        assert_eq!(r.key_count(), s.key_count());
    }
}
