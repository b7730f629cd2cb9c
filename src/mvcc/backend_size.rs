//! The size of etcd's backend file, modelled: what `endpoint status` reports as DB SIZE and
//! DB SIZE IN USE, and what `--quota-backend-bytes` is checked against.
//!
//! etcd keeps the "key" bucket in bbolt, in 4 KiB pages. Every revision the store holds is one
//! leaf element there: a 16-byte element header, the 17-byte revision key (18 for a
//! tombstone, marked `t`) and the `mvccpb.KeyValue` in protobuf. Under etcd's sequential
//! writes the pages end up about 84 % full: measured against etcd 3.4.23, 1,000 puts of
//! 100-byte values under 9-byte keys grow the file by 188 kB, 4,000 by 733 kB, and a 10 kB
//! value takes 11 kB. A new file has 4 pages in use out of 5 (`20 kB`, `16 kB` in use), and
//! the first puts fit in it (a bucket under a quarter page is kept inline).
//!
//! Pages that compaction frees go on bbolt's freelist: later writes reuse them, but the file
//! never shrinks. So the size is the high-water mark of the pages in use, until `defrag`
//! rewrites the file with only what is in use (plus one free page, as a new file has).
//!
//! Owns: the byte and page counts. Must not touch: the store's contents (the store reports
//! what it adds and what compaction removes).

use super::kvstore::StoredKv;
use super::revision::Revision;

/// bbolt's page size on Linux.
pub const PAGE_SIZE: u64 = 4096;

/// The pages a new backend file has in use: two meta pages, the freelist, the root bucket.
const BASE_PAGES: u64 = 4;

/// How full leaf pages get, in percent of a page.
const FILL_PERCENT: u64 = 84;

/// A bucket smaller than this lives inside its parent's page (bbolt's inline buckets): the
/// first few small puts take no page of their own.
const INLINE_BYTES: u64 = PAGE_SIZE / 4;

/// The bytes a protobuf varint of `v` takes.
fn varint_len(v: u64) -> u64 {
    u64::from((64 - (v | 1).leading_zeros()).div_ceil(7))
}

/// A length-delimited protobuf field (tag, length, bytes); nothing when empty.
fn bytes_field(len: usize) -> u64 {
    let len = len as u64;
    if len == 0 {
        0
    } else {
        1 + varint_len(len) + len
    }
}

/// A varint protobuf field (tag, value); nothing when zero.
fn int_field(v: i64) -> u64 {
    if v == 0 {
        0
    } else {
        1 + varint_len(v as u64)
    }
}

/// What one revision of the store takes in the bucket's leaf pages, before page fill.
pub fn entry_bytes(rev: Revision, kv: &StoredKv) -> u64 {
    let header = 16 + 17;
    if kv.tombstone {
        return header + 1 + bytes_field(kv.key.len());
    }
    header
        + bytes_field(kv.key.len())
        + int_field(kv.create_revision)
        + int_field(rev.main)
        + int_field(kv.version)
        + bytes_field(kv.value.len())
        + int_field(kv.lease)
}

/// The backend file's size as the store's writes, compactions and defrags shape it.
#[derive(Clone, Debug, Default)]
pub struct BackendSize {
    /// Bytes of the bucket's entries (see [`entry_bytes`]).
    stored: u64,
    /// The most pages the file ever held since it was created or defragmented.
    high_water: u64,
}

/// Two stores with the same contents are equal, whatever their files' history.
impl PartialEq for BackendSize {
    fn eq(&self, other: &Self) -> bool {
        self.stored == other.stored
    }
}

impl Eq for BackendSize {}

impl BackendSize {
    /// A file holding entries of `stored` bytes, freshly written (restored or defragmented).
    pub fn with_stored(stored: u64) -> Self {
        BackendSize {
            stored,
            high_water: 0,
        }
    }

    fn pages_in_use(&self) -> u64 {
        let filled = self.stored.saturating_mul(100) / FILL_PERCENT;
        // bbolt keeps a bucket smaller than a quarter page inline, in its parent's page
        let leaf = if filled < INLINE_BYTES {
            0
        } else {
            filled.div_ceil(PAGE_SIZE)
        };
        BASE_PAGES.saturating_add(leaf)
    }

    /// A write stored `bytes` more.
    pub fn add(&mut self, bytes: u64) {
        self.stored = self.stored.saturating_add(bytes);
    }

    /// Compaction removed entries of `bytes`: their pages are free, the file keeps its size.
    pub fn free(&mut self, bytes: u64) {
        self.high_water = self.pages();
        self.stored = self.stored.saturating_sub(bytes);
    }

    /// `defrag`: the file is rewritten with only the pages in use.
    pub fn defrag(&mut self) {
        self.high_water = 0;
    }

    fn pages(&self) -> u64 {
        self.high_water.max(self.pages_in_use().saturating_add(1))
    }

    /// The file's size (`dbSize`).
    pub fn size(&self) -> i64 {
        i64::try_from(self.pages().saturating_mul(PAGE_SIZE)).unwrap_or(i64::MAX)
    }

    /// The bytes of its pages in use (`dbSizeInUse`).
    pub fn size_in_use(&self) -> i64 {
        i64::try_from(self.pages_in_use().saturating_mul(PAGE_SIZE)).unwrap_or(i64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_20_kb_with_16_kb_in_use() {
        let mut b = BackendSize::default();
        assert_eq!((b.size(), b.size_in_use()), (20480, 16384));
        // etcd 3.4.23: still 20 kB / 16 kB after one small put, 20 kB / 20 kB after ten
        b.add(4 * 40);
        assert_eq!((b.size(), b.size_in_use()), (20480, 16384));
    }

    #[test]
    fn compaction_frees_pages_that_only_defrag_returns() {
        let mut b = BackendSize::default();
        for _ in 0..4000 {
            b.add(154); // a 9-byte key, a 100-byte value
        }
        // etcd 3.4.23: 753,664 bytes after 4,000 such puts
        assert!((700_000..800_000).contains(&b.size()), "{}", b.size());
        let grown = b.size();
        b.free(154 * 3000);
        assert_eq!(b.size(), grown);
        assert!(b.size_in_use() < grown / 2);
        b.add(154 * 500);
        assert_eq!(b.size(), grown, "freed pages are reused");
        b.defrag();
        assert_eq!(b.size(), b.size_in_use() + 4096);
    }

    #[test]
    fn varints() {
        assert_eq!(varint_len(0), 1);
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
        assert_eq!(varint_len(u64::MAX), 10);
    }
}
