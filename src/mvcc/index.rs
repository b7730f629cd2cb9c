//! `TreeIndex`: every key's `KeyIndex`, ordered by key bytes (etcd's `treeIndex`).
//!
//! A range end is a [`RangeEnd`]: a single key, `[key, end)`, or every key `>= key`.
//!
//! Owns: the key → KeyIndex map. Must not touch: values.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::key_index::{History, KeyAt, KeyIndex, KeyIndexError, StoredKeyIndex};
use super::revision::Revision;

/// The end of a key range, as etcd reads `range_end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeEnd<'a> {
    /// `range_end` empty: only `key`.
    Single,
    /// `range_end == "\0"`: every key `>= key`.
    Open,
    /// `[key, end)`.
    Until(&'a [u8]),
}

impl<'a> RangeEnd<'a> {
    /// Reads a request's `range_end`.
    pub fn from_request(range_end: &'a [u8]) -> Self {
        match range_end {
            [] => RangeEnd::Single,
            [0] => RangeEnd::Open,
            e => RangeEnd::Until(e),
        }
    }

    /// Whether `k` lies in the range starting at `key`.
    pub fn contains(&self, key: &[u8], k: &[u8]) -> bool {
        match self {
            RangeEnd::Single => k == key,
            RangeEnd::Open => k >= key,
            RangeEnd::Until(e) => k >= key && k < *e,
        }
    }
}

/// The in-memory index of every key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeIndex {
    tree: BTreeMap<Arc<[u8]>, KeyIndex>,
    /// How many keys are live now (a function of `tree`, kept as it changes; not stored).
    live: usize,
}

/// The stored form of the index: `{tree: [(key, key index with every revision listed)]}`.
#[derive(Serialize)]
#[serde(rename = "TreeIndex")]
pub(crate) struct StoredTreeIndexRef<'a, H: History> {
    tree: StoredPairs<'a, H>,
}

pub(crate) struct StoredPairs<'a, H: History> {
    index: &'a TreeIndex,
    history: &'a H,
}

impl<H: History> Serialize for StoredPairs<'_, H> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.index
                .tree
                .iter()
                .map(|(k, ki)| (StoredKey(k), ki.to_stored(self.history))),
        )
    }
}

/// A key written as the byte string it was stored as.
struct StoredKey<'a>(&'a Arc<[u8]>);

impl Serialize for StoredKey<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::api::bytes::shared::serialize(self.0, s)
    }
}

/// What a stored index holds (links and the live count are rebuilt).
#[derive(Deserialize)]
pub(crate) struct StoredTreeIndex {
    #[serde(with = "crate::api::serde_pairs")]
    tree: BTreeMap<Vec<u8>, StoredKeyIndex>,
}

impl StoredTreeIndex {
    /// The index; `link(rev, prev)` restores every chain link.
    pub(crate) fn into_index(self, mut link: impl FnMut(Revision, Revision)) -> TreeIndex {
        let tree: BTreeMap<Arc<[u8]>, KeyIndex> = self
            .tree
            .into_values()
            .map(|s| {
                let ki = KeyIndex::from_stored(s, &mut link);
                (ki.key.clone(), ki)
            })
            .collect();
        let live = tree.values().filter(|ki| ki.is_live()).count();
        TreeIndex { tree, live }
    }
}

/// What a put did to a key (see [`TreeIndex::put`]).
pub struct PutKey {
    /// The key as the index shares it.
    pub key: Arc<[u8]>,
    /// The live generation's creation (main revision) and version after the put.
    pub create_revision: i64,
    pub version: i64,
    /// The key's previous revision in the generation (the bucket entry's link).
    pub prev: Option<Revision>,
}

impl TreeIndex {
    pub fn new() -> Self {
        TreeIndex::default()
    }

    /// The index of these keys (each key once).
    pub(crate) fn from_key_indexes(keys: impl IntoIterator<Item = KeyIndex>) -> Self {
        let tree: BTreeMap<Arc<[u8]>, KeyIndex> =
            keys.into_iter().map(|ki| (ki.key.clone(), ki)).collect();
        let live = tree.values().filter(|ki| ki.is_live()).count();
        TreeIndex { tree, live }
    }

    /// How many keys exist at the newest revision.
    pub fn live_count(&self) -> usize {
        self.live
    }

    /// How many keys of `[key, end)` exist at the newest revision. The keys inside and the
    /// keys outside the range are walked in step and the walk stops when either side ends
    /// (outside: the live total minus those), so a range holding nearly every key (`get
    /// /registry --prefix` on the large sample) costs as little as a small one.
    pub fn count_live(&self, key: &[u8], end: RangeEnd<'_>) -> usize {
        let live = |ki: &KeyIndex| ki.generations.len() == 1 || ki.is_live();
        let (inside, outside): (
            Box<dyn Iterator<Item = &KeyIndex>>,
            Box<dyn Iterator<Item = &KeyIndex>>,
        ) = match end {
            RangeEnd::Single => return self.tree.get(key).is_some_and(live).into(),
            RangeEnd::Open => (
                Box::new(
                    self.tree
                        .range::<[u8], _>((Bound::Included(key), Bound::Unbounded))
                        .map(|(_, v)| v),
                ),
                Box::new(
                    self.tree
                        .range::<[u8], _>((Bound::Unbounded, Bound::Excluded(key)))
                        .map(|(_, v)| v),
                ),
            ),
            RangeEnd::Until(e) => {
                if key >= e {
                    return 0;
                }
                (
                    Box::new(
                        self.tree
                            .range::<[u8], _>((Bound::Included(key), Bound::Excluded(e)))
                            .map(|(_, v)| v),
                    ),
                    Box::new(
                        self.tree
                            .range::<[u8], _>((Bound::Unbounded, Bound::Excluded(key)))
                            .chain(
                                self.tree
                                    .range::<[u8], _>((Bound::Included(e), Bound::Unbounded)),
                            )
                            .map(|(_, v)| v),
                    ),
                )
            }
        };
        let (mut inside, mut outside) = (inside, outside);
        let (mut n_in, mut n_out) = (0usize, 0usize);
        loop {
            match inside.next() {
                None => return n_in,
                Some(ki) => n_in += usize::from(live(ki)),
            }
            match outside.next() {
                None => return self.live.saturating_sub(n_out),
                Some(ki) => n_out += usize::from(live(ki)),
            }
        }
    }

    pub fn len(&self) -> usize {
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// The stored form, every key's revisions listed from `h`.
    pub(crate) fn to_stored<'a, H: History>(&'a self, h: &'a H) -> StoredTreeIndexRef<'a, H> {
        StoredTreeIndexRef {
            tree: StoredPairs {
                index: self,
                history: h,
            },
        }
    }

    /// The index of `keys`, read back a piece at a time (see `stored_pieces`): what
    /// [`StoredTreeIndex::into_index`] builds, from keys already linked.
    pub(crate) fn from_keys(keys: Vec<(Arc<[u8]>, KeyIndex)>) -> TreeIndex {
        let tree: BTreeMap<Arc<[u8]>, KeyIndex> = keys.into_iter().collect();
        let live = tree.values().filter(|ki| ki.is_live()).count();
        TreeIndex { tree, live }
    }

    /// Writes the stored form's pairs (see [`to_stored`](Self::to_stored)) of the keys after
    /// `after` (from the first key when None) into `out` until it holds `until` bytes; returns
    /// the last key written then, or None once every pair is written.
    pub(crate) fn put_stored_after<H: History>(
        &self,
        h: &H,
        after: Option<&[u8]>,
        out: &mut crate::api::bytes::Pieces,
        until: usize,
    ) -> postcard::Result<Option<Arc<[u8]>>> {
        let from = after.map_or(Bound::Unbounded, Bound::Excluded);
        for (k, ki) in self.tree.range::<[u8], _>((from, Bound::Unbounded)) {
            out.put(&(StoredKey(k), ki.to_stored(h)))?;
            if out.written() >= until {
                return Ok(Some(k.clone()));
            }
        }
        Ok(None)
    }

    /// Records a put at `rev` and returns what the key looks like after it, with one lookup
    /// of the key.
    pub fn put(&mut self, key: &[u8], rev: Revision) -> Result<PutKey, KeyIndexError> {
        let ki = match self.tree.get_mut(key) {
            Some(ki) => ki,
            None => {
                // a new key: two more lookups, only this once
                let ki = KeyIndex::new(key.to_vec());
                self.tree.insert(ki.key.clone(), ki);
                self.tree
                    .get_mut(key)
                    .ok_or(KeyIndexError::RevisionNotFound)?
            }
        };
        let was_live = ki.is_live();
        let prev = ki.put(rev)?;
        if !was_live {
            self.live += 1;
        }
        let (create_revision, version) = ki
            .live_created_version()
            .ok_or(KeyIndexError::RevisionNotFound)?;
        Ok(PutKey {
            key: ki.key.clone(),
            create_revision,
            version,
            prev,
        })
    }

    /// Records a delete at `rev`; returns the key (shared) and its previous revision.
    pub fn tombstone(
        &mut self,
        key: &[u8],
        rev: Revision,
    ) -> Result<(Arc<[u8]>, Option<Revision>), KeyIndexError> {
        let ki = self
            .tree
            .get_mut(key)
            .ok_or(KeyIndexError::RevisionNotFound)?;
        let was_live = ki.is_live();
        let prev = ki.tombstone(rev)?;
        if was_live && !ki.is_live() {
            self.live = self.live.saturating_sub(1);
        }
        Ok((ki.key.clone(), prev))
    }

    pub fn get(&self, h: &impl History, key: &[u8], at_rev: i64) -> Result<KeyAt, KeyIndexError> {
        self.tree
            .get(key)
            .ok_or(KeyIndexError::RevisionNotFound)?
            .get(h, at_rev)
    }

    pub fn key_index(&self, key: &[u8]) -> Option<&KeyIndex> {
        self.tree.get(key)
    }

    /// Visits the key indexes in `[key, end)` in key order; `f` returns false to stop.
    pub fn visit<'s>(
        &'s self,
        key: &[u8],
        end: RangeEnd<'_>,
        mut f: impl FnMut(&'s KeyIndex) -> bool,
    ) {
        match end {
            RangeEnd::Single => {
                if let Some(ki) = self.tree.get(key) {
                    f(ki);
                }
            }
            RangeEnd::Open => {
                for (_, ki) in self
                    .tree
                    .range::<[u8], _>((Bound::Included(key), Bound::Unbounded))
                {
                    if !f(ki) {
                        break;
                    }
                }
            }
            RangeEnd::Until(e) => {
                if key >= e {
                    return;
                }
                for (_, ki) in self
                    .tree
                    .range::<[u8], _>((Bound::Included(key), Bound::Excluded(e)))
                {
                    if !f(ki) {
                        break;
                    }
                }
            }
        }
    }

    /// The keys in the range that exist at `at_rev`, with what `get` finds for each.
    pub fn range(
        &self,
        h: &impl History,
        key: &[u8],
        end: RangeEnd<'_>,
        at_rev: i64,
    ) -> Vec<(&[u8], KeyAt)> {
        let mut out = Vec::new();
        self.visit(key, end, |ki| {
            if let Ok(at) = ki.get(h, at_rev) {
                out.push((&ki.key[..], at));
            }
            true
        });
        out
    }

    /// Compacts every key at `rev`, drops keys left empty; returns the revisions to keep.
    pub fn compact(&mut self, h: &impl History, rev: i64) -> BTreeSet<Revision> {
        let mut available = BTreeSet::new();
        self.tree.retain(|_, ki| {
            ki.compact(h, rev, &mut available);
            !ki.is_empty()
        });
        self.live = self.tree.values().filter(|ki| ki.is_live()).count();
        available
    }

    /// The oldest revision of every non-empty generation.
    pub fn generation_starts(&self) -> impl Iterator<Item = Revision> + '_ {
        self.tree
            .values()
            .flat_map(|ki| ki.generations.iter())
            .filter(|g| !g.is_empty())
            .map(|g| g.first)
    }

    /// The revisions a compaction at `rev` would keep.
    pub fn keep(&self, h: &impl History, rev: i64) -> BTreeSet<Revision> {
        let mut available = BTreeSet::new();
        for ki in self.tree.values() {
            ki.keep(h, rev, &mut available);
        }
        available
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_ends() {
        struct NoLinks;
        impl History for NoLinks {
            fn prev(&self, _: Revision) -> Option<Revision> {
                None
            }
        }
        let mut ti = TreeIndex::new();
        for (i, k) in ["a", "b", "c", "d"].iter().enumerate() {
            ti.put(k.as_bytes(), Revision::new(i as i64 + 2, 0))
                .unwrap();
        }
        let keys = |end| {
            ti.range(&NoLinks, b"b", end, 10)
                .into_iter()
                .map(|(k, _)| k.to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(RangeEnd::Single), vec![b"b".to_vec()]);
        assert_eq!(keys(RangeEnd::Open).len(), 3);
        assert_eq!(keys(RangeEnd::Until(b"d")).len(), 2);
        assert_eq!(keys(RangeEnd::Until(b"a")).len(), 0);
        assert_eq!(ti.range(&NoLinks, b"b", RangeEnd::Open, 3).len(), 1);
    }
}
