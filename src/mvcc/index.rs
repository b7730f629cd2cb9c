//! `TreeIndex`: every key's `KeyIndex`, ordered by key bytes (etcd's `treeIndex`).
//!
//! A range end is a [`RangeEnd`]: a single key, `[key, end)`, or every key `>= key`.
//!
//! Owns: the key → KeyIndex map. Must not touch: values.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use serde::{Deserialize, Serialize};

use super::key_index::{KeyAt, KeyIndex, KeyIndexError};
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TreeIndex {
    #[serde(with = "super::serde_pairs")]
    tree: BTreeMap<Vec<u8>, KeyIndex>,
    /// How many keys are live now (a function of `tree`, kept as it changes; not stored).
    #[serde(skip_serializing)]
    live: usize,
}

/// What a stored `TreeIndex` holds (the live count is recomputed).
#[derive(Deserialize)]
struct TreeIndexRepr {
    #[serde(with = "super::serde_pairs")]
    tree: BTreeMap<Vec<u8>, KeyIndex>,
}

impl<'de> Deserialize<'de> for TreeIndex {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tree = TreeIndexRepr::deserialize(d)?.tree;
        let live = tree.values().filter(|ki| ki.is_live()).count();
        Ok(TreeIndex { tree, live })
    }
}

impl TreeIndex {
    pub fn new() -> Self {
        TreeIndex::default()
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

    pub fn put(&mut self, key: &[u8], rev: Revision) -> Result<(), KeyIndexError> {
        match self.tree.get_mut(key) {
            Some(ki) => {
                let was_live = ki.is_live();
                ki.put(rev)?;
                if !was_live {
                    self.live += 1;
                }
                Ok(())
            }
            None => {
                let mut ki = KeyIndex::new(key.to_vec());
                ki.put(rev)?;
                self.tree.insert(key.to_vec(), ki);
                self.live += 1;
                Ok(())
            }
        }
    }

    /// Records a put at `rev` and returns what the key looks like after it: its
    /// `create_revision` (main) and `version`, with one lookup of the key.
    pub fn put_created_version(
        &mut self,
        key: &[u8],
        rev: Revision,
    ) -> Result<(i64, i64), KeyIndexError> {
        if !self.tree.contains_key(key) {
            // a new key: one more lookup, only this once
            self.tree.insert(key.to_vec(), KeyIndex::new(key.to_vec()));
        }
        let ki = self
            .tree
            .get_mut(key)
            .ok_or(KeyIndexError::RevisionNotFound)?;
        let was_live = ki.is_live();
        ki.put(rev)?;
        if !was_live {
            self.live += 1;
        }
        ki.live_created_version()
            .ok_or(KeyIndexError::RevisionNotFound)
    }

    pub fn tombstone(&mut self, key: &[u8], rev: Revision) -> Result<(), KeyIndexError> {
        let ki = self
            .tree
            .get_mut(key)
            .ok_or(KeyIndexError::RevisionNotFound)?;
        let was_live = ki.is_live();
        ki.tombstone(rev)?;
        if was_live && !ki.is_live() {
            self.live = self.live.saturating_sub(1);
        }
        Ok(())
    }

    pub fn get(&self, key: &[u8], at_rev: i64) -> Result<KeyAt, KeyIndexError> {
        self.tree
            .get(key)
            .ok_or(KeyIndexError::RevisionNotFound)?
            .get(at_rev)
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
    pub fn range(&self, key: &[u8], end: RangeEnd<'_>, at_rev: i64) -> Vec<(&[u8], KeyAt)> {
        let mut out = Vec::new();
        self.visit(key, end, |ki| {
            if let Ok(at) = ki.get(at_rev) {
                out.push((ki.key.as_slice(), at));
            }
            true
        });
        out
    }

    /// Compacts every key at `rev`, drops keys left empty; returns the revisions to keep.
    pub fn compact(&mut self, rev: i64) -> BTreeSet<Revision> {
        let mut available = BTreeSet::new();
        self.tree.retain(|_, ki| {
            ki.compact(rev, &mut available);
            !ki.is_empty()
        });
        self.live = self.tree.values().filter(|ki| ki.is_live()).count();
        available
    }

    /// The revisions a compaction at `rev` would keep.
    pub fn keep(&self, rev: i64) -> BTreeSet<Revision> {
        let mut available = BTreeSet::new();
        for ki in self.tree.values() {
            ki.keep(rev, &mut available);
        }
        available
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_ends() {
        let mut ti = TreeIndex::new();
        for (i, k) in ["a", "b", "c", "d"].iter().enumerate() {
            ti.put(k.as_bytes(), Revision::new(i as i64 + 2, 0))
                .unwrap();
        }
        let keys = |end| {
            ti.range(b"b", end, 10)
                .into_iter()
                .map(|(k, _)| k.to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(RangeEnd::Single), vec![b"b".to_vec()]);
        assert_eq!(keys(RangeEnd::Open).len(), 3);
        assert_eq!(keys(RangeEnd::Until(b"d")).len(), 2);
        assert_eq!(keys(RangeEnd::Until(b"a")).len(), 0);
        assert_eq!(ti.range(b"b", RangeEnd::Open, 3).len(), 1);
    }
}
