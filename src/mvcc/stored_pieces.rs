//! The store's stored form (what `Serialize for KvStore` writes into a snapshot) written and
//! read a piece at a time, so that a snapshot of a large store (the large `/registry` sample:
//! about 140 MB) is taken, and read back on a reload, between the page's frames instead of in
//! one long task. The pieces written one after the other are the bytes the whole store
//! gives, and the store read in pieces is the one `Deserialize for KvStore` reads.
//!
//! Owns: where a piecewise write or read is ([`StoredCursor`], [`StoredReader`]). Must not
//! touch: the stored form itself (`kvstore`, `index`, `bucket` define it); the store must not
//! change between pieces of a write (the caller's rule).

use std::sync::Arc;

use super::backend_size::{entry_bytes, BackendSize};
use super::bucket::Bucket;
use super::index::TreeIndex;
use super::key_index::{KeyIndex, StoredKeyIndex};
use super::kvstore::{KvStore, StoredKv};
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

/// A store being read back from its stored form a piece at a time.
#[derive(Default)]
pub struct StoredReader {
    at: Reading,
    /// The index's key indexes, as stored (linked to the bucket once it is read).
    stored: Vec<StoredKeyIndex>,
    bucket: Bucket,
    /// What the bucket's entries take in etcd's file.
    bytes: u64,
    revs: (i64, i64),
    keys: Vec<(Arc<[u8]>, KeyIndex)>,
}

/// Where a read is, with how many elements of a sequence are still to come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Reading {
    #[default]
    IndexLen,
    Index(u64),
    BucketLen,
    Bucket(u64),
    Tail,
    /// Linking the key indexes read to the bucket, from this one on.
    Link(usize),
    Done,
}

/// What linking a key index counts for against a piece's budget (about what reading it took).
const LINK_WORK: usize = 64;

impl StoredReader {
    pub fn new() -> Self {
        StoredReader::default()
    }

    /// Reads pieces from `bytes`, what is left of the stored form, until about `budget`
    /// bytes' worth of work is done or the store is read; returns how many bytes it took.
    pub fn advance(&mut self, bytes: &[u8], budget: usize) -> postcard::Result<usize> {
        let mut rest = bytes;
        let mut work = 0;
        while work < budget {
            let before = rest.len();
            self.at = match self.at {
                Reading::IndexLen => {
                    let (n, r) = postcard::take_from_bytes::<u64>(rest)?;
                    rest = r;
                    Reading::Index(n)
                }
                Reading::Index(0) => Reading::BucketLen,
                Reading::Index(n) => {
                    let ((_, ki), r) = postcard::take_from_bytes::<(&[u8], StoredKeyIndex)>(rest)?;
                    rest = r;
                    self.stored.push(ki);
                    Reading::Index(n - 1)
                }
                Reading::BucketLen => {
                    let (n, r) = postcard::take_from_bytes::<u64>(rest)?;
                    rest = r;
                    Reading::Bucket(n)
                }
                Reading::Bucket(0) => Reading::Tail,
                Reading::Bucket(n) => {
                    let ((rev, kv), r) = postcard::take_from_bytes::<(Revision, StoredKv)>(rest)?;
                    rest = r;
                    self.bytes += entry_bytes(rev, &kv);
                    self.bucket.insert(rev, kv);
                    Reading::Bucket(n - 1)
                }
                Reading::Tail => {
                    let (revs, r) = postcard::take_from_bytes::<(i64, i64)>(rest)?;
                    rest = r;
                    self.revs = revs;
                    self.stored.reverse();
                    Reading::Link(0)
                }
                Reading::Link(i) => match self.stored.pop() {
                    Some(s) => {
                        let bucket = &mut self.bucket;
                        let ki = KeyIndex::from_stored(s, |rev, prev| bucket.link(rev, prev));
                        self.keys.push((ki.key.clone(), ki));
                        work += LINK_WORK;
                        Reading::Link(i + 1)
                    }
                    None => Reading::Done,
                },
                Reading::Done => break,
            };
            work += before - rest.len();
        }
        Ok(bytes.len() - rest.len())
    }

    pub fn is_done(&self) -> bool {
        self.at == Reading::Done
    }

    /// The store read (what is read so far, before [`is_done`](Self::is_done)).
    pub fn finish(self) -> KvStore {
        let (current_rev, compact_main_rev) = self.revs;
        KvStore {
            index: TreeIndex::from_keys(self.keys),
            bucket: self.bucket,
            current_rev,
            compact_main_rev,
            backend: BackendSize::with_stored(self.bytes),
        }
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

    /// Written in pieces of any size, counted or written, the bytes are the whole store's; read
    /// back in pieces, the store is the whole decoding's.
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
                // read back in pieces of `step`: the store `Deserialize` reads
                let mut reader = StoredReader::new();
                let mut at = 0;
                while !reader.is_done() {
                    at += reader.advance(&whole[at..], step).unwrap();
                }
                assert_eq!(at, whole.len());
                let read = reader.finish();
                let decoded: KvStore = postcard::from_bytes(&whole).unwrap();
                assert!(read == decoded, "read in pieces of {step}");
                assert_eq!(read.db_size(), decoded.db_size());
                assert_eq!(read.index.len(), kv.index.len());
                assert_eq!(postcard::to_allocvec(&read).unwrap(), whole);
            }
        }
    }
}
