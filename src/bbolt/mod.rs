//! bbolt's file format: the single-file B+tree database etcd keeps its backend in
//! (`member/snap/db`) and that `etcdctl snapshot save` downloads. Written and read here so a
//! snapshot saved in the page passes real `etcdctl snapshot status|restore`, and a real
//! etcd's snapshot dropped on the page reads back.
//!
//! The layout (bbolt 1.3, as etcd 3.4 and 3.5 write it): fixed-size pages, each with a
//! 16-byte header (id, flags, element count, overflow page count). Pages 0 and 1 are the two
//! meta pages (magic, version, page size, root bucket, freelist page, high-water mark,
//! transaction id, FNV-64a checksum). The root bucket is a B+tree of branch and leaf pages
//! whose leaf elements name the buckets; a bucket's value is its header (root page,
//! sequence), followed — for a small bucket — by the bucket's single leaf page inline. A
//! value longer than a page runs on into overflow pages. etcd writes no freelist page
//! (`NoFreelistSync`): every page the tree does not reach is free.
//!
//! - [`write`]: a database from buckets of sorted pairs (what a defragmented etcd holds).
//! - [`read`]: the buckets of a file, every offset checked (a forged file gets an error,
//!   never a panic), and bbolt's own integrity check (`Tx.Check`).
//!
//! Owns: the byte layout. Must not touch: what etcd stores in the buckets (`server`).

pub mod read;
pub mod write;

pub use read::{Db, Entry};
pub use write::{buckets_of, write, Bucket};

/// etcd's page size (the OS page size where it runs: 4 KiB on amd64 Linux).
pub const PAGE_SIZE: usize = 4096;

const PAGE_HEADER: usize = 16;
const ELEMENT: usize = 16;
const BUCKET_HEADER: usize = 16;

const BRANCH_PAGE: u16 = 0x01;
const LEAF_PAGE: u16 = 0x02;
const META_PAGE: u16 = 0x04;
const FREELIST_PAGE: u16 = 0x10;

/// A leaf element that is a bucket.
const BUCKET_LEAF: u32 = 0x01;

const MAGIC: u32 = 0xED0C_DAED;
const VERSION: u32 = 2;
/// The freelist page id when no freelist is written.
const NO_FREELIST: u64 = u64::MAX;

/// The meta page's checksum: FNV-1a 64 over its fields before the checksum.
fn fnv64a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The bytes of the meta fields covered by the checksum.
const META_SUMMED: usize = 56;

#[cfg(test)]
mod tests;
