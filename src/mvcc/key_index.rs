//! `KeyIndex`: the history of one key as a list of generations.
//!
//! A generation runs from the put that creates the key to the tombstone that deletes it:
//! `created → modified … → tombstone`. After a delete a new, empty generation starts, so the
//! next put creates the key anew (version 1, new `create_revision`). The last generation is
//! the live one (empty when the key is currently deleted).
//!
//! A generation holds its first and last revision and how many it has; the revisions in
//! between are a chain through the store's bucket (every entry knows the key's previous
//! revision, see [`History`]). So a put appends to the one bucket log and touches no
//! per-key array: recording history costs the same for one hot key as for a million keys.
//! Reads at the newest revision never follow the chain; reads in the past walk it back.
//!
//! The rules for `get`, `since`, `compact` and `keep` follow etcd 3.4's `mvcc/key_index.go`
//! exactly, because HashKV and compaction results depend on them.
//!
//! Owns: one key's generations. Must not touch: values (they live in the store's bucket).

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::revision::Revision;

/// Where a generation's earlier revisions are found: the key's revision before `r` (in the
/// same generation), as the bucket entry at `r` records it.
pub trait History {
    fn prev(&self, r: Revision) -> Option<Revision>;
}

/// One life of a key, from creation to tombstone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Generation {
    /// Number of puts (and the tombstone) in this generation so far.
    pub ver: i64,
    /// The revision of the put that created the key.
    pub created: Revision,
    /// The oldest revision left (compaction drops older ones).
    pub first: Revision,
    /// The newest revision (the tombstone if the generation ended).
    pub last: Revision,
    /// How many revisions are left, `first` to `last`.
    pub len: usize,
}

impl Generation {
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Walks the revisions from newest to oldest; returns the first one for which
    /// `keep_walking` is false and how many newer revisions were passed on the way.
    fn walk(
        &self,
        h: &impl History,
        mut keep_walking: impl FnMut(Revision) -> bool,
    ) -> Option<(usize, Revision)> {
        if self.len == 0 {
            return None;
        }
        let mut r = self.last;
        let mut newer = 0usize;
        loop {
            if !keep_walking(r) {
                return Some((newer, r));
            }
            newer += 1;
            if newer >= self.len {
                return None;
            }
            r = h.prev(r)?;
        }
    }

    fn last(&self) -> Option<Revision> {
        (self.len != 0).then_some(self.last)
    }

    /// Every revision, oldest first.
    pub fn revs(&self, h: &impl History) -> Vec<Revision> {
        let mut out = Vec::with_capacity(self.len);
        if self.len != 0 {
            let mut r = self.last;
            out.push(r);
            while out.len() < self.len {
                match h.prev(r) {
                    Some(p) => {
                        out.push(p);
                        r = p;
                    }
                    None => break,
                }
            }
        }
        out.reverse();
        out
    }

    /// A generation from its stored form: the revisions, oldest first.
    pub fn from_revs(ver: i64, created: Revision, revs: &[Revision]) -> Self {
        Generation {
            ver,
            created,
            first: revs.first().copied().unwrap_or_default(),
            last: revs.last().copied().unwrap_or_default(),
            len: revs.len(),
        }
    }
}

/// Why a key-index operation could not be done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyIndexError {
    /// The key has no revision at the asked point (etcd's `ErrRevisionNotFound`).
    RevisionNotFound,
    /// A put or tombstone did not come after the last modification (an internal bug in etcd).
    OutOfOrder,
}

/// What `get` finds: the revision visible at a point and the key's metadata there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyAt {
    pub modified: Revision,
    pub created: Revision,
    pub version: i64,
}

/// The index entry of one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyIndex {
    /// Shared with every bucket entry of the key.
    pub key: Arc<[u8]>,
    /// The last modification (put or tombstone).
    pub modified: Revision,
    pub generations: Vec<Generation>,
}

/// The stored form of a generation (the form etcd's `generation` has): every revision listed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredGeneration {
    pub ver: i64,
    pub created: Revision,
    pub revs: Vec<Revision>,
}

/// The stored form of a key index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredKeyIndex {
    #[serde(with = "crate::api::bytes::shared")]
    pub key: Arc<[u8]>,
    pub modified: Revision,
    pub generations: Vec<StoredGeneration>,
}

impl KeyIndex {
    pub fn new(key: Vec<u8>) -> Self {
        KeyIndex {
            key: key.into(),
            modified: Revision::default(),
            generations: vec![Generation::default()],
        }
    }

    /// Records a put at `rev`; returns the key's previous revision in the live generation
    /// (the link the bucket entry at `rev` keeps), if any.
    pub fn put(&mut self, rev: Revision) -> Result<Option<Revision>, KeyIndexError> {
        if rev <= self.modified {
            return Err(KeyIndexError::OutOfOrder);
        }
        if self.generations.is_empty() {
            self.generations.push(Generation::default());
        }
        let mut prev = None;
        if let Some(g) = self.generations.last_mut() {
            if g.len == 0 {
                g.created = rev;
                g.first = rev;
            } else {
                prev = Some(g.last);
            }
            g.last = rev;
            g.len += 1;
            g.ver = g.ver.saturating_add(1);
        }
        self.modified = rev;
        Ok(prev)
    }

    /// The live generation's creation (main revision) and version, if the key is live.
    pub fn live_created_version(&self) -> Option<(i64, i64)> {
        self.generations
            .last()
            .filter(|g| !g.is_empty())
            .map(|g| (g.created.main, g.ver))
    }

    /// Records a delete at `rev`: the tombstone ends the live generation. Returns the link as
    /// `put` does.
    pub fn tombstone(&mut self, rev: Revision) -> Result<Option<Revision>, KeyIndexError> {
        match self.generations.last() {
            Some(g) if !g.is_empty() => {}
            _ => return Err(KeyIndexError::RevisionNotFound),
        }
        let prev = self.put(rev)?;
        self.generations.push(Generation::default());
        Ok(prev)
    }

    /// True when nothing is left (one empty generation).
    pub fn is_empty(&self) -> bool {
        self.generations.len() == 1 && self.generations[0].is_empty() || self.generations.is_empty()
    }

    /// True when the key exists at the newest revision.
    pub fn is_live(&self) -> bool {
        self.generations
            .last()
            .map(|g| !g.is_empty())
            .unwrap_or(false)
    }

    /// Whether the key exists at main revision `rev`: what `get(rev).is_ok()` answers, but
    /// without a search when nothing changed after `rev` (counting a range visits every key).
    pub fn exists_at(&self, h: &impl History, rev: i64) -> bool {
        if self.modified.main <= rev && self.modified.main > 0 {
            // Nothing changed after `rev`: the key exists iff it is live now. A key in the
            // tree index with one generation is live (a tombstone starts a second one, and
            // compaction drops keys left with one empty generation), which is known without
            // reading the generations (a cache miss per key when counting 100k keys).
            return self.generations.len() == 1 || self.is_live();
        }
        self.get(h, rev).is_ok()
    }

    fn find_generation(&self, rev: i64) -> Option<&Generation> {
        let last = self.generations.len().checked_sub(1)?;
        for (i, g) in self.generations.iter().enumerate().rev() {
            let Some(tomb) = g.last() else {
                continue;
            };
            if i != last && tomb.main <= rev {
                return None;
            }
            if g.first.main <= rev {
                return Some(g);
            }
        }
        None
    }

    /// The revision of the key visible at main revision `at_rev`, with its creation and version.
    pub fn get(&self, h: &impl History, at_rev: i64) -> Result<KeyAt, KeyIndexError> {
        let g = self
            .find_generation(at_rev)
            .ok_or(KeyIndexError::RevisionNotFound)?;
        let (newer, modified) = g
            .walk(h, |r| r.main > at_rev)
            .ok_or(KeyIndexError::RevisionNotFound)?;
        Ok(KeyAt {
            modified,
            created: g.created,
            version: g.ver.saturating_sub(newer as i64),
        })
    }

    /// Every revision since main revision `rev` (only the last one of each main revision).
    pub fn since(&self, h: &impl History, rev: i64) -> Vec<Revision> {
        let since = Revision::new(rev, 0);
        let mut gi = self.generations.len().saturating_sub(1);
        while gi > 0 {
            let g = &self.generations[gi];
            if !g.is_empty() && since > g.created {
                break;
            }
            gi -= 1;
        }
        let mut revs: Vec<Revision> = Vec::new();
        let mut last = 0i64;
        for g in self.generations.iter().skip(gi) {
            for r in g.revs(h) {
                if since > r {
                    continue;
                }
                if r.main == last {
                    if let Some(l) = revs.last_mut() {
                        *l = r;
                    }
                    continue;
                }
                revs.push(r);
                last = r.main;
            }
        }
        revs
    }

    /// etcd's `doCompact`: the generation compaction stops in, and in it the newest revision
    /// at or below `at_rev` (with how many newer ones it has), which is added to `available`.
    fn do_compact(
        &self,
        h: &impl History,
        at_rev: i64,
        available: &mut BTreeSet<Revision>,
    ) -> (usize, Option<(usize, Revision)>) {
        let mut gen_idx = 0usize;
        while gen_idx + 1 < self.generations.len() {
            match self.generations[gen_idx].last() {
                Some(tomb) if tomb.main > at_rev => break,
                _ => gen_idx += 1,
            }
        }
        let found = match self.generations.get(gen_idx) {
            Some(g) => g.walk(h, |r| {
                if r.main <= at_rev {
                    available.insert(r);
                    false
                } else {
                    true
                }
            }),
            None => None,
        };
        (gen_idx, found)
    }

    /// Drops every revision older than the newest one at or below `at_rev` (and whole
    /// generations that ended at or below it). Adds the revisions to keep to `available`.
    pub fn compact(&mut self, h: &impl History, at_rev: i64, available: &mut BTreeSet<Revision>) {
        if self.is_empty() {
            return;
        }
        let (mut gen_idx, found) = self.do_compact(h, at_rev, available);
        let last = self.generations.len() - 1;
        if let Some(g) = self.generations.get_mut(gen_idx) {
            if !g.is_empty() {
                if let Some((newer, r)) = found {
                    // the revisions before `r` go
                    g.first = r;
                    g.len = newer + 1;
                }
                if g.len == 1 && gen_idx != last {
                    available.remove(&g.first);
                    gen_idx += 1;
                }
            }
        }
        self.generations
            .drain(..gen_idx.min(self.generations.len()));
        if self.generations.is_empty() {
            self.generations.push(Generation::default());
        }
    }

    /// Like `compact`, without changing anything: which revisions a compaction at `at_rev`
    /// would keep.
    pub fn keep(&self, h: &impl History, at_rev: i64, available: &mut BTreeSet<Revision>) {
        if self.is_empty() {
            return;
        }
        let (gen_idx, found) = self.do_compact(h, at_rev, available);
        let last = self.generations.len() - 1;
        if let Some(g) = self.generations.get(gen_idx) {
            if !g.is_empty() {
                if let Some((0, r)) = found {
                    if gen_idx != last {
                        available.remove(&r);
                    }
                }
            }
        }
    }

    /// The stored form (every revision listed).
    pub fn to_stored(&self, h: &impl History) -> StoredKeyIndex {
        StoredKeyIndex {
            key: self.key.clone(),
            modified: self.modified,
            generations: self
                .generations
                .iter()
                .map(|g| StoredGeneration {
                    ver: g.ver,
                    created: g.created,
                    revs: g.revs(h),
                })
                .collect(),
        }
    }

    /// From the stored form; `link` is called with every `(revision, previous revision)` of a
    /// generation, to restore the chain.
    pub fn from_stored(s: StoredKeyIndex, mut link: impl FnMut(Revision, Revision)) -> Self {
        let generations = s
            .generations
            .iter()
            .map(|g| {
                for w in g.revs.windows(2) {
                    link(w[1], w[0]);
                }
                Generation::from_revs(g.ver, g.created, &g.revs)
            })
            .collect();
        KeyIndex {
            key: s.key,
            modified: s.modified,
            generations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(main: i64, sub: i64) -> Revision {
        Revision::new(main, sub)
    }

    /// The chain links a bucket would keep.
    #[derive(Default)]
    struct Links(std::collections::BTreeMap<Revision, Revision>);

    impl History for Links {
        fn prev(&self, r: Revision) -> Option<Revision> {
            self.0.get(&r).copied()
        }
    }

    /// The example of etcd's key_index.go doc: puts at 1,2,3, tombstone 4, puts 5,6, tombstone 7,
    /// puts 8,9.
    fn sample() -> (KeyIndex, Links) {
        let mut ki = KeyIndex::new(b"foo".to_vec());
        let mut h = Links::default();
        for (m, tomb) in [
            (2, false),
            (4, false),
            (6, true),
            (8, false),
            (10, false),
            (12, true),
            (14, false),
            (14, false),
            (16, false),
        ] {
            let sub = if m == 14 && ki.modified.main == 14 {
                1
            } else {
                0
            };
            let prev = if tomb {
                ki.tombstone(r(m, sub)).unwrap()
            } else {
                ki.put(r(m, sub)).unwrap()
            };
            if let Some(p) = prev {
                h.0.insert(r(m, sub), p);
            }
        }
        (ki, h)
    }

    #[test]
    fn get_walks_generations() {
        let (ki, h) = sample();
        assert_eq!(ki.get(&h, 1), Err(KeyIndexError::RevisionNotFound));
        assert_eq!(
            ki.get(&h, 2).unwrap(),
            KeyAt {
                modified: r(2, 0),
                created: r(2, 0),
                version: 1
            }
        );
        assert_eq!(
            ki.get(&h, 5).unwrap(),
            KeyAt {
                modified: r(4, 0),
                created: r(2, 0),
                version: 2
            }
        );
        assert_eq!(ki.get(&h, 6), Err(KeyIndexError::RevisionNotFound));
        assert_eq!(ki.get(&h, 7), Err(KeyIndexError::RevisionNotFound));
        assert_eq!(
            ki.get(&h, 8).unwrap(),
            KeyAt {
                modified: r(8, 0),
                created: r(8, 0),
                version: 1
            }
        );
        assert_eq!(
            ki.get(&h, 14).unwrap(),
            KeyAt {
                modified: r(14, 1),
                created: r(14, 0),
                version: 2
            }
        );
        assert_eq!(
            ki.get(&h, 20).unwrap(),
            KeyAt {
                modified: r(16, 0),
                created: r(14, 0),
                version: 3
            }
        );
    }

    #[test]
    fn since_keeps_last_sub_of_each_main() {
        let (ki, h) = sample();
        assert_eq!(ki.since(&h, 13), vec![r(14, 1), r(16, 0)]);
        assert_eq!(ki.since(&h, 1).len(), 8);
    }

    #[test]
    fn compact_drops_dead_generations() {
        let (mut ki, h) = sample();
        let mut avail = BTreeSet::new();
        ki.compact(&h, 6, &mut avail);
        // the tombstone at 6 was the newest at or below 6: its generation goes, nothing kept
        assert!(avail.is_empty());
        assert_eq!(ki.generations.len(), 2);
        let mut avail = BTreeSet::new();
        ki.compact(&h, 15, &mut avail);
        assert_eq!(avail.into_iter().collect::<Vec<_>>(), vec![r(14, 1)]);
        assert_eq!(ki.generations[0].revs(&h), vec![r(14, 1), r(16, 0)]);
        assert_eq!(ki.get(&h, 16).unwrap().version, 3);
    }

    #[test]
    fn stored_form_round_trips_with_its_links() {
        let (ki, h) = sample();
        let stored = ki.to_stored(&h);
        assert_eq!(stored.generations[0].revs, vec![r(2, 0), r(4, 0), r(6, 0)]);
        let mut links = Links::default();
        let back = KeyIndex::from_stored(stored, |a, b| {
            links.0.insert(a, b);
        });
        assert_eq!(back, ki);
        assert_eq!(links.0, h.0);
    }

    #[test]
    fn out_of_order_put_is_an_error_not_a_panic() {
        let mut ki = KeyIndex::new(b"k".to_vec());
        assert_eq!(ki.put(r(5, 0)), Ok(None));
        assert_eq!(ki.put(r(4, 0)), Err(KeyIndexError::OutOfOrder));
        assert_eq!(ki.put(r(6, 0)), Ok(Some(r(5, 0))));
        let mut empty = KeyIndex::new(b"k".to_vec());
        assert_eq!(
            empty.tombstone(r(1, 0)),
            Err(KeyIndexError::RevisionNotFound)
        );
    }
}
