//! HashKV: a CRC-32 (Castagnoli) over the store's history, computed exactly as etcd 3.4's
//! `store.HashByRev` does, so `endpoint hashkv` prints the numbers a real cluster prints.
//!
//! The hash covers the bucket name `key`, then for every bucket entry at or below the asked
//! revision, in revision order, the revision key (17 bytes, plus `t` for a tombstone) and the
//! protobuf encoding of the stored `mvccpb.KeyValue`. Entries at or below the compaction
//! revision count only if a compaction at the asked revision would keep them (when it keeps
//! anything at all).
//!
//! Owns: the protobuf encoding of `mvccpb.KeyValue`. Must not touch: anything else.

use crc::{Crc, CRC_32_ISCSI};

use super::error::Error;
use super::kvstore::{KvStore, StoredKv};
use super::revision::Revision;

const CASTAGNOLI: Crc<u32> = Crc::<u32>::new(&CRC_32_ISCSI);

/// What HashKV answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KvHash {
    pub hash: u32,
    /// The store's current revision.
    pub current_rev: i64,
    /// The store's compaction revision (-1 if never compacted; etcd prints it as is).
    pub compact_rev: i64,
}

fn put_varint(buf: &mut Vec<u8>, v: u64) {
    let mut v = v;
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

fn put_int64_field(buf: &mut Vec<u8>, field: u8, v: i64) {
    if v != 0 {
        buf.push(field << 3);
        put_varint(buf, v as u64);
    }
}

fn put_bytes_field(buf: &mut Vec<u8>, field: u8, b: &[u8]) {
    if !b.is_empty() {
        buf.push((field << 3) | 2);
        put_varint(buf, b.len() as u64);
        buf.extend_from_slice(b);
    }
}

/// The protobuf (proto3, gogo field order) encoding of the `mvccpb.KeyValue` etcd stores for
/// a bucket entry at `rev`.
pub fn marshal_stored(s: &StoredKv, rev: Revision) -> Vec<u8> {
    let mut buf = Vec::with_capacity(s.key.len() + s.value.len() + 32);
    put_bytes_field(&mut buf, 1, &s.key);
    if !s.tombstone {
        put_int64_field(&mut buf, 2, s.create_revision);
        put_int64_field(&mut buf, 3, rev.main);
        put_int64_field(&mut buf, 4, s.version);
        put_bytes_field(&mut buf, 5, &s.value);
        put_int64_field(&mut buf, 6, s.lease);
    }
    buf
}

impl KvStore {
    /// etcd's `HashByRev`: `rev` 0 means the current revision.
    pub fn hash_by_rev(&self, rev: i64) -> Result<KvHash, Error> {
        let compact_rev = self.compact_main_rev;
        let current_rev = self.current_rev;
        if rev > 0 && rev <= compact_rev {
            return Err(Error::Compacted);
        }
        if rev > 0 && rev > current_rev {
            return Err(Error::FutureRev);
        }
        let rev = if rev == 0 { current_rev } else { rev };
        let keep = self.index.keep(&self.bucket, rev);
        let mut digest = CASTAGNOLI.digest();
        digest.update(b"key");
        for (r, s) in self
            .bucket
            .iter_until(Revision::new(rev.saturating_add(1), 0))
        {
            if r.main <= compact_rev && !keep.is_empty() && !keep.contains(r) {
                continue;
            }
            digest.update(&r.to_bytes(s.tombstone));
            digest.update(&marshal_stored(s, *r));
        }
        Ok(KvHash {
            hash: digest.finalize(),
            current_rev,
            compact_rev,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::index::RangeEnd;
    use super::super::kvstore_txn::TxnWrite;
    use super::*;

    fn put(s: &mut KvStore, k: &str, v: &str) {
        let mut t = TxnWrite::new(s);
        t.put(k.as_bytes(), v.as_bytes(), 0);
        t.end();
    }

    fn del(s: &mut KvStore, k: &str) {
        let mut t = TxnWrite::new(s);
        t.delete_range(k.as_bytes(), RangeEnd::Single);
        t.end();
    }

    #[test]
    fn empty_store() {
        // cluster-endpoint.transcript: `endpoint hashkv --rev=1` on a fresh cluster
        assert_eq!(KvStore::new().hash_by_rev(1).unwrap().hash, 1084519789);
        assert_eq!(KvStore::new().hash_by_rev(0).unwrap().hash, 1084519789);
    }

    #[test]
    fn after_one_put() {
        // cluster-endpoint.transcript: `put k v` then `endpoint hashkv --cluster`
        let mut s = KvStore::new();
        put(&mut s, "k", "v");
        assert_eq!(s.hash_by_rev(0).unwrap().hash, 3658645045);
    }

    #[test]
    fn output_fields_history() {
        // v3-output-fields.transcript: put one 1; put one 11; del one
        let mut s = KvStore::new();
        put(&mut s, "one", "1");
        put(&mut s, "one", "11");
        del(&mut s, "one");
        assert_eq!(s.hash_by_rev(0).unwrap().hash, 3482523878);
    }

    #[test]
    fn output_json_history_with_compaction() {
        // v3-output-json.transcript: alpha 1, alpha 2, beta 3, del alpha, compaction 2
        let mut s = KvStore::new();
        put(&mut s, "alpha", "1");
        put(&mut s, "alpha", "2");
        put(&mut s, "beta", "3");
        del(&mut s, "alpha");
        s.compact(2).unwrap();
        let h = s.hash_by_rev(0).unwrap();
        assert_eq!((h.hash, h.compact_rev, h.current_rev), (904098853, 2, 5));
    }

    #[test]
    fn revisions_history_with_two_compactions() {
        // v3-revisions-history.transcript: config v1..v3, other x, compaction 3, compaction 4
        let mut s = KvStore::new();
        put(&mut s, "config", "v1");
        put(&mut s, "config", "v2");
        put(&mut s, "config", "v3");
        put(&mut s, "other", "x");
        s.compact(3).unwrap();
        s.compact(4).unwrap();
        assert_eq!(s.hash_by_rev(0).unwrap().hash, 368816052);
    }

    #[test]
    fn hash_errors() {
        let mut s = KvStore::new();
        put(&mut s, "a", "1");
        put(&mut s, "a", "2");
        s.compact(2).unwrap();
        assert_eq!(s.hash_by_rev(2), Err(Error::Compacted));
        assert_eq!(s.hash_by_rev(9), Err(Error::FutureRev));
        assert!(s.hash_by_rev(3).is_ok());
    }
}
