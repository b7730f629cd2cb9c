//! `Bucket`: etcd's bolt "key" bucket, revision → what was written at that revision.
//!
//! Writes only ever append (every transaction writes at `current_rev + 1` with increasing sub
//! revisions), so the bucket is an append log cut into fixed-capacity chunks: an append is a
//! push into the last chunk (no tree descent, no node splits, and no large copy when the log
//! grows), a lookup is two binary searches (which chunk, then where in it). Compaction removes
//! entries anywhere and then packs the survivors into full chunks again.
//!
//! Stored (serde) as one list of `(revision, entry)` pairs in revision order: the form the
//! previous `BTreeMap` had, so stored snapshots read back unchanged.
//!
//! Owns: the entries and their order. Must not touch: the key index.

use serde::de::Deserializer;
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use super::key_index::History;
use super::kvstore::StoredKv;
use super::revision::Revision;

/// Entries per chunk.
const CHUNK: usize = 1024;

/// The revision-ordered entries.
#[derive(Clone, Debug, Default)]
pub struct Bucket {
    /// Non-empty chunks, each sorted, every chunk's revisions below the next chunk's.
    chunks: Vec<Vec<(Revision, StoredKv)>>,
    /// The last revision of each chunk, side by side (a lookup searches these without
    /// touching the chunks).
    lasts: Vec<Revision>,
    len: usize,
}

impl Bucket {
    pub fn new() -> Self {
        Bucket::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn last_rev(&self) -> Option<Revision> {
        self.lasts.last().copied()
    }

    /// Stores `kv` at `rev`, replacing what was there.
    pub fn insert(&mut self, rev: Revision, kv: StoredKv) {
        if self.last_rev().is_none_or(|last| rev > last) {
            match (self.chunks.last_mut(), self.lasts.last_mut()) {
                (Some(c), Some(last)) if c.len() < CHUNK => {
                    c.push((rev, kv));
                    *last = rev;
                }
                _ => {
                    let mut c = Vec::with_capacity(CHUNK);
                    c.push((rev, kv));
                    self.chunks.push(c);
                    self.lasts.push(rev);
                }
            }
            self.len += 1;
            return;
        }
        // Out of order (not done by the store's writes): insert in place.
        let ci = self.chunk_of(rev).min(self.chunks.len() - 1);
        let c = &mut self.chunks[ci];
        match c.binary_search_by(|(r, _)| r.cmp(&rev)) {
            Ok(i) => c[i].1 = kv,
            Err(i) => {
                c.insert(i, (rev, kv));
                self.len += 1;
                if let (Some((r, _)), Some(last)) = (c.last(), self.lasts.get_mut(ci)) {
                    *last = *r;
                }
            }
        }
    }

    /// The chunk that holds `rev` if anything does: the first whose last revision is `>= rev`
    /// (`chunks.len()` when `rev` is past every entry).
    fn chunk_of(&self, rev: Revision) -> usize {
        self.lasts.partition_point(|r| *r < rev)
    }

    /// Where the entry at `rev` is: (chunk, index in it).
    #[inline]
    fn position(&self, rev: Revision) -> Option<(usize, usize)> {
        let ci = self.chunk_of(rev);
        let c = self.chunks.get(ci)?;
        // Where the entry is when every main revision of the chunk wrote once and nothing was
        // compacted away (the common case): checked first, then searched for.
        let first = c.first()?.0.main;
        if let Ok(i) = usize::try_from(rev.main.wrapping_sub(first)) {
            if c.get(i).is_some_and(|(r, _)| *r == rev) {
                return Some((ci, i));
            }
        }
        c.binary_search_by(|(r, _)| r.cmp(&rev))
            .ok()
            .map(|i| (ci, i))
    }

    #[inline]
    pub fn get(&self, rev: &Revision) -> Option<&StoredKv> {
        let (ci, i) = self.position(*rev)?;
        Some(&self.chunks[ci][i].1)
    }

    fn get_mut(&mut self, rev: Revision) -> Option<&mut StoredKv> {
        let (ci, i) = self.position(rev)?;
        Some(&mut self.chunks[ci][i].1)
    }

    /// Records that the key's revision before `rev` is `prev` (restoring a stored store).
    pub fn link(&mut self, rev: Revision, prev: Revision) {
        if let Some(s) = self.get_mut(rev) {
            s.prev = prev;
        }
    }

    /// Forgets the link of the entry at `rev` (the revisions before it were compacted).
    pub fn unlink(&mut self, rev: Revision) {
        self.link(rev, Revision::default());
    }

    /// Every entry, in revision order.
    pub fn iter(&self) -> impl Iterator<Item = (&Revision, &StoredKv)> {
        self.chunks.iter().flatten().map(|(r, s)| (r, s))
    }

    /// The entries at or after `from`, in revision order.
    pub fn iter_from(&self, from: Revision) -> impl Iterator<Item = (&Revision, &StoredKv)> {
        let ci = self.chunk_of(from);
        let start = self
            .chunks
            .get(ci)
            .map(|c| c.partition_point(|(r, _)| *r < from))
            .unwrap_or(0);
        self.chunks
            .get(ci..)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .flat_map(move |(i, c)| c[if i == 0 { start } else { 0 }..].iter())
            .map(|(r, s)| (r, s))
    }

    /// The entries before `until`, in revision order.
    pub fn iter_until(&self, until: Revision) -> impl Iterator<Item = (&Revision, &StoredKv)> {
        self.iter().take_while(move |(r, _)| **r < until)
    }

    /// Keeps the entries for which `keep` is true, then packs them into full chunks.
    pub fn retain(&mut self, mut keep: impl FnMut(&Revision, &StoredKv) -> bool) {
        let old = std::mem::take(&mut self.chunks);
        self.lasts.clear();
        self.len = 0;
        for c in old {
            for (r, s) in c {
                if keep(&r, &s) {
                    self.insert(r, s);
                }
            }
        }
    }
}

impl Bucket {
    /// Writes the stored form's entries (see `Serialize for Bucket`) after revision `after`
    /// (from the first when None) into `out` until it holds `until` bytes; returns the last
    /// revision written then, or None once every entry is written.
    pub(crate) fn put_stored_after(
        &self,
        after: Option<Revision>,
        out: &mut crate::api::bytes::Pieces,
        until: usize,
    ) -> postcard::Result<Option<Revision>> {
        let rest: Box<dyn Iterator<Item = (&Revision, &StoredKv)>> = match after {
            Some(a) => Box::new(self.iter_from(a).skip_while(move |(r, _)| **r == a)),
            None => Box::new(self.iter()),
        };
        for e in rest {
            out.put(&e)?;
            if out.written() >= until {
                return Ok(Some(*e.0));
            }
        }
        Ok(None)
    }
}

/// Equal entries, however they are cut into chunks.
impl PartialEq for Bucket {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for Bucket {}

impl History for Bucket {
    fn prev(&self, r: Revision) -> Option<Revision> {
        self.get(&r).map(|s| s.prev).filter(|p| p.main > 0)
    }
}

impl FromIterator<(Revision, StoredKv)> for Bucket {
    fn from_iter<I: IntoIterator<Item = (Revision, StoredKv)>>(it: I) -> Self {
        let mut b = Bucket::new();
        for (r, s) in it {
            b.insert(r, s);
        }
        b
    }
}

impl Serialize for Bucket {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len))?;
        for e in self.iter() {
            seq.serialize_element(&e)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Bucket {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs: Vec<(Revision, StoredKv)> = Vec::deserialize(d)?;
        Ok(pairs.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn kv(i: i64) -> StoredKv {
        StoredKv {
            key: format!("k{i}").into_bytes().into(),
            value: Default::default(),
            create_revision: i,
            version: 1,
            lease: 0,
            tombstone: false,
            prev: Revision::default(),
        }
    }

    /// Appends, out-of-order inserts, lookups, ranges and compactions agree with a BTreeMap.
    #[test]
    fn behaves_as_an_ordered_map() {
        let mut b = Bucket::new();
        let mut m = BTreeMap::new();
        let mut x: u64 = 7;
        for main in 1..5000i64 {
            for sub in 0..(main % 3) {
                let r = Revision::new(main, sub);
                b.insert(r, kv(main));
                m.insert(r, kv(main));
            }
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            if main % 997 == 0 {
                let cut = (x >> 40) as i64 % main;
                b.retain(|r, _| r.main > cut || r.sub == 1);
                m.retain(|r, _| r.main > cut || r.sub == 1);
            }
            if main % 1500 == 0 {
                // an out-of-order insert and a replacement
                let r = Revision::new(main / 2, 7);
                b.insert(r, kv(1));
                m.insert(r, kv(1));
                let r = Revision::new(main, 0);
                b.insert(r, kv(2));
                m.insert(r, kv(2));
            }
        }
        assert_eq!(b.len(), m.len());
        assert!(b.iter().eq(m.iter()));
        for main in [0i64, 1, 2, 500, 2500, 4998, 4999, 6000] {
            for sub in 0..3 {
                let r = Revision::new(main, sub);
                assert_eq!(b.get(&r), m.get(&r));
                assert!(b.iter_from(r).eq(m.range(r..)));
                assert!(b.iter_until(r).eq(m.range(..r)));
            }
        }
        let json = serde_json::to_string(&b).unwrap();
        let back: Bucket = serde_json::from_str(&json).unwrap();
        assert_eq!(back, b);
        let mut e = Bucket::new();
        e.retain(|_, _| true);
        assert!(e.get(&Revision::new(1, 0)).is_none());
        assert_eq!(e.iter_from(Revision::new(1, 0)).count(), 0);
    }
}
