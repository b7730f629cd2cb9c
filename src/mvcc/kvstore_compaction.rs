//! Compaction (`mvcc/kvstore.go` `Compact` and `mvcc/kvstore_compaction.go`).
//!
//! Compacting at revision `r` keeps, for every key, the newest revision at or below `r`
//! (unless it is a tombstone, which goes with its whole generation) and every revision above
//! `r`; it drops the rest from the index and from the bucket. Reads below `r` then fail with
//! "required revision has been compacted". Here the physical deletion happens at once (etcd
//! does it in the background; the observable results are the same).
//!
//! Owns: nothing beyond the store. Must not touch: leases, watchers.

use super::backend_size::entry_bytes;
use super::error::Error;
use super::kvstore::KvStore;

impl KvStore {
    /// Compacts the history at `rev`.
    pub fn compact(&mut self, rev: i64) -> Result<(), Error> {
        if rev <= self.compact_main_rev {
            return Err(Error::Compacted);
        }
        if rev > self.current_rev {
            return Err(Error::FutureRev);
        }
        self.compact_main_rev = rev;
        let keep = self.index.compact(&self.bucket, rev);
        let mut freed = 0;
        self.bucket.retain(|r, s| {
            let kept = r.main > rev || keep.contains(r);
            if !kept {
                freed += entry_bytes(*r, s);
            }
            kept
        });
        self.backend.free(freed);
        // a generation's oldest revision left links to nothing any more
        for first in self.index.generation_starts() {
            self.bucket.unlink(first);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::index::RangeEnd;
    use super::super::kvstore::RangeOptions;
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
    fn compaction_errors_and_reads() {
        let mut s = KvStore::new();
        put(&mut s, "config", "v1");
        put(&mut s, "config", "v2");
        put(&mut s, "config", "v3");
        put(&mut s, "other", "x");
        assert_eq!(s.compact(99), Err(Error::FutureRev));
        s.compact(3).unwrap();
        assert_eq!(s.compact(3), Err(Error::Compacted));
        assert_eq!(s.compact(2), Err(Error::Compacted));
        let ro = |rev| RangeOptions {
            rev,
            ..Default::default()
        };
        assert_eq!(
            s.range(b"config", RangeEnd::Single, ro(2)),
            Err(Error::Compacted)
        );
        let r = s.range(b"config", RangeEnd::Single, ro(3)).unwrap();
        assert_eq!(r.kvs[0].value, b"v2");
        assert_eq!(r.kvs[0].version, 2);
        // revisions 2 is gone from the bucket; 3, 4, 5 remain
        assert_eq!(s.revision_count(), 3);
    }

    #[test]
    fn deleted_key_disappears_after_compaction_past_its_tombstone() {
        let mut s = KvStore::new();
        put(&mut s, "a", "1");
        del(&mut s, "a");
        put(&mut s, "b", "1");
        s.compact(3).unwrap();
        assert_eq!(s.key_count(), 1);
        assert_eq!(s.revision_count(), 1);
    }
}
