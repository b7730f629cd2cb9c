//! The store's stored form (what `Serialize for KvStore` writes into a snapshot) written a
//! piece at a time, so that a snapshot of a large store (the large `/registry` sample: about
//! 140 MB) can be taken between the page's frames instead of in one long task. The pieces,
//! one after the other, are the bytes the whole store gives.
//!
//! Owns: where a piecewise write is ([`StoredCursor`]). Must not touch: the stored form
//! itself (`kvstore`, `index`, `bucket` define it); the store must not change between pieces
//! (the caller's rule).

use std::sync::Arc;

use super::kvstore::KvStore;
use super::revision::Revision;
use crate::api::bytes::Pieces;

/// How far a piecewise write of a store got.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StoredCursor {
    /// Nothing written yet.
    #[default]
    Start,
    /// The index's pairs, after this key (None: from the first).
    Index(Option<Arc<[u8]>>),
    /// The index written; the bucket's length comes next.
    BucketLen,
    /// The bucket's entries, after this revision (None: from the first).
    Bucket(Option<Revision>),
    /// The revisions after the bucket.
    Tail,
    Done,
}

impl KvStore {
    /// Writes the next pieces of the stored form into `out` until it holds `until` bytes or
    /// the store is written (`at` is then [`StoredCursor::Done`]).
    pub fn put_stored_pieces(
        &self,
        at: &mut StoredCursor,
        out: &mut Pieces,
        until: usize,
    ) -> postcard::Result<()> {
        while out.written() < until {
            *at = match std::mem::take(at) {
                // (a sequence is its length, then its elements)
                StoredCursor::Start => {
                    out.put(&(self.index.len() as u64))?;
                    StoredCursor::Index(None)
                }
                StoredCursor::Index(after) => {
                    match self
                        .index
                        .put_stored_after(&self.bucket, after.as_deref(), out, until)?
                    {
                        Some(last) => StoredCursor::Index(Some(last)),
                        None => StoredCursor::BucketLen,
                    }
                }
                StoredCursor::BucketLen => {
                    out.put(&(self.bucket.len() as u64))?;
                    StoredCursor::Bucket(None)
                }
                StoredCursor::Bucket(after) => {
                    match self.bucket.put_stored_after(after, out, until)? {
                        Some(last) => StoredCursor::Bucket(Some(last)),
                        None => StoredCursor::Tail,
                    }
                }
                StoredCursor::Tail => {
                    out.put(&(self.current_rev, self.compact_main_rev))?;
                    StoredCursor::Done
                }
                StoredCursor::Done => {
                    *at = StoredCursor::Done;
                    return Ok(());
                }
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mvcc::index::RangeEnd;
    use crate::mvcc::kvstore_txn::TxnWrite;

    fn store() -> KvStore {
        let mut kv = KvStore::new();
        for i in 0..400u32 {
            let key = format!("k{:03}", i % 97).into_bytes();
            let value = vec![b'v'; (i as usize * 13) % 300];
            let mut txn = TxnWrite::new(&mut kv);
            if i % 11 == 5 {
                txn.delete_range(&key, RangeEnd::Single);
            } else {
                txn.put(&key, &value, 0);
            }
            txn.end_quiet();
        }
        kv.compact(150).ok();
        kv
    }

    /// Written in pieces of any size, counted or written, the bytes are the whole store's.
    #[test]
    fn pieces_make_the_whole() {
        for kv in [KvStore::new(), store()] {
            let whole = postcard::to_allocvec(&kv).unwrap();
            for step in [1, 7, 100, 4096, usize::MAX / 2] {
                let mut count = Pieces::Count(0);
                let mut at = StoredCursor::Start;
                let mut rounds = 0;
                while at != StoredCursor::Done {
                    let until = count.written().saturating_add(step);
                    kv.put_stored_pieces(&mut at, &mut count, until).unwrap();
                    rounds += 1;
                }
                assert_eq!(count.written(), whole.len());
                if step < 100 {
                    // (a piece may pass its end by one element: a few hundred bytes here)
                    assert!(
                        rounds >= whole.len() / (step + 400),
                        "{rounds} pieces of {step}"
                    );
                }
                let mut out = Pieces::fill(count.written());
                let mut at = StoredCursor::Start;
                while at != StoredCursor::Done {
                    let until = out.written().saturating_add(step);
                    kv.put_stored_pieces(&mut at, &mut out, until).unwrap();
                }
                let bytes = out.finish().expect("every byte written");
                assert_eq!(&bytes[..], &whole[..], "pieces of {step}");
            }
        }
    }
}
