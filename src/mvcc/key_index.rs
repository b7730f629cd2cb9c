//! `KeyIndex`: the history of one key as a list of generations.
//!
//! A generation runs from the put that creates the key to the tombstone that deletes it:
//! `created → modified … → tombstone`. After a delete a new, empty generation starts, so the
//! next put creates the key anew (version 1, new `create_revision`). The last generation is
//! the live one (empty when the key is currently deleted).
//!
//! The rules for `get`, `since`, `compact` and `keep` follow etcd 3.4's `mvcc/key_index.go`
//! exactly, because HashKV and compaction results depend on them.
//!
//! Owns: one key's revisions. Must not touch: values (they live in the store's bucket).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::revision::Revision;

/// One life of a key, from creation to tombstone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generation {
    /// Number of puts (and the tombstone) in this generation so far.
    pub ver: i64,
    /// The revision of the put that created the key.
    pub created: Revision,
    /// Every revision of the key in this generation, ascending; the tombstone last.
    pub revs: Vec<Revision>,
}

impl Generation {
    pub fn is_empty(&self) -> bool {
        self.revs.is_empty()
    }

    /// Walks the revisions from newest to oldest; returns the index of the first one for which
    /// `keep_walking` is false.
    fn walk(&self, mut keep_walking: impl FnMut(Revision) -> bool) -> Option<usize> {
        self.revs
            .iter()
            .enumerate()
            .rev()
            .find(|(_, r)| !keep_walking(**r))
            .map(|(i, _)| i)
    }

    fn last(&self) -> Option<Revision> {
        self.revs.last().copied()
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyIndex {
    pub key: Vec<u8>,
    /// The last modification (put or tombstone).
    pub modified: Revision,
    pub generations: Vec<Generation>,
}

impl KeyIndex {
    pub fn new(key: Vec<u8>) -> Self {
        KeyIndex {
            key,
            modified: Revision::default(),
            generations: vec![Generation::default()],
        }
    }

    /// Records a put at `rev`.
    pub fn put(&mut self, rev: Revision) -> Result<(), KeyIndexError> {
        if rev <= self.modified {
            return Err(KeyIndexError::OutOfOrder);
        }
        if self.generations.is_empty() {
            self.generations.push(Generation::default());
        }
        if let Some(g) = self.generations.last_mut() {
            if g.revs.is_empty() {
                g.created = rev;
            }
            g.revs.push(rev);
            g.ver = g.ver.saturating_add(1);
        }
        self.modified = rev;
        Ok(())
    }

    /// The live generation's creation (main revision) and version, if the key is live.
    pub fn live_created_version(&self) -> Option<(i64, i64)> {
        self.generations
            .last()
            .filter(|g| !g.is_empty())
            .map(|g| (g.created.main, g.ver))
    }

    /// Records a delete at `rev`: the tombstone ends the live generation.
    pub fn tombstone(&mut self, rev: Revision) -> Result<(), KeyIndexError> {
        match self.generations.last() {
            Some(g) if !g.is_empty() => {}
            _ => return Err(KeyIndexError::RevisionNotFound),
        }
        self.put(rev)?;
        self.generations.push(Generation::default());
        Ok(())
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
    pub fn exists_at(&self, rev: i64) -> bool {
        if self.modified.main <= rev && self.modified.main > 0 {
            // Nothing changed after `rev`: the key exists iff it is live now. A key in the
            // tree index with one generation is live (a tombstone starts a second one, and
            // compaction drops keys left with one empty generation), which is known without
            // reading the generations (a cache miss per key when counting 100k keys).
            return self.generations.len() == 1 || self.is_live();
        }
        self.get(rev).is_ok()
    }

    fn find_generation(&self, rev: i64) -> Option<&Generation> {
        let last = self.generations.len().checked_sub(1)?;
        for (i, g) in self.generations.iter().enumerate().rev() {
            let (Some(first), Some(tomb)) = (g.revs.first(), g.last()) else {
                continue;
            };
            if i != last && tomb.main <= rev {
                return None;
            }
            if first.main <= rev {
                return Some(g);
            }
        }
        None
    }

    /// The revision of the key visible at main revision `at_rev`, with its creation and version.
    pub fn get(&self, at_rev: i64) -> Result<KeyAt, KeyIndexError> {
        let g = self
            .find_generation(at_rev)
            .ok_or(KeyIndexError::RevisionNotFound)?;
        let n = g
            .walk(|r| r.main > at_rev)
            .ok_or(KeyIndexError::RevisionNotFound)?;
        let newer = (g.revs.len() - n - 1) as i64;
        Ok(KeyAt {
            modified: g.revs[n],
            created: g.created,
            version: g.ver.saturating_sub(newer),
        })
    }

    /// Every revision since main revision `rev` (only the last one of each main revision).
    pub fn since(&self, rev: i64) -> Vec<Revision> {
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
            for &r in &g.revs {
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

    fn do_compact(
        &self,
        at_rev: i64,
        available: &mut BTreeSet<Revision>,
    ) -> (usize, Option<usize>) {
        let mut gen_idx = 0usize;
        while gen_idx + 1 < self.generations.len() {
            match self.generations[gen_idx].last() {
                Some(tomb) if tomb.main > at_rev => break,
                _ => gen_idx += 1,
            }
        }
        let rev_index = match self.generations.get(gen_idx) {
            Some(g) => g.walk(|r| {
                if r.main <= at_rev {
                    available.insert(r);
                    false
                } else {
                    true
                }
            }),
            None => None,
        };
        (gen_idx, rev_index)
    }

    /// Drops every revision older than the newest one at or below `at_rev` (and whole
    /// generations that ended at or below it). Adds the revisions to keep to `available`.
    pub fn compact(&mut self, at_rev: i64, available: &mut BTreeSet<Revision>) {
        if self.is_empty() {
            return;
        }
        let (mut gen_idx, rev_index) = self.do_compact(at_rev, available);
        let last = self.generations.len() - 1;
        if let Some(g) = self.generations.get_mut(gen_idx) {
            if !g.is_empty() {
                if let Some(ri) = rev_index {
                    g.revs.drain(..ri);
                }
                if g.revs.len() == 1 && gen_idx != last {
                    available.remove(&g.revs[0]);
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
    pub fn keep(&self, at_rev: i64, available: &mut BTreeSet<Revision>) {
        if self.is_empty() {
            return;
        }
        let (gen_idx, rev_index) = self.do_compact(at_rev, available);
        let last = self.generations.len() - 1;
        if let Some(g) = self.generations.get(gen_idx) {
            if !g.is_empty() {
                if let Some(ri) = rev_index {
                    if ri + 1 == g.revs.len() && gen_idx != last {
                        available.remove(&g.revs[ri]);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(main: i64, sub: i64) -> Revision {
        Revision::new(main, sub)
    }

    /// The example of etcd's key_index.go doc: puts at 1,2,3, tombstone 4, puts 5,6, tombstone 7,
    /// puts 8,9.
    fn sample() -> KeyIndex {
        let mut ki = KeyIndex::new(b"foo".to_vec());
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
            if tomb {
                ki.tombstone(r(m, sub)).unwrap();
            } else {
                ki.put(r(m, sub)).unwrap();
            }
        }
        ki
    }

    #[test]
    fn get_walks_generations() {
        let ki = sample();
        assert_eq!(ki.get(1), Err(KeyIndexError::RevisionNotFound));
        assert_eq!(
            ki.get(2).unwrap(),
            KeyAt {
                modified: r(2, 0),
                created: r(2, 0),
                version: 1
            }
        );
        assert_eq!(
            ki.get(5).unwrap(),
            KeyAt {
                modified: r(4, 0),
                created: r(2, 0),
                version: 2
            }
        );
        assert_eq!(ki.get(6), Err(KeyIndexError::RevisionNotFound));
        assert_eq!(ki.get(7), Err(KeyIndexError::RevisionNotFound));
        assert_eq!(
            ki.get(8).unwrap(),
            KeyAt {
                modified: r(8, 0),
                created: r(8, 0),
                version: 1
            }
        );
        assert_eq!(
            ki.get(14).unwrap(),
            KeyAt {
                modified: r(14, 1),
                created: r(14, 0),
                version: 2
            }
        );
        assert_eq!(
            ki.get(20).unwrap(),
            KeyAt {
                modified: r(16, 0),
                created: r(14, 0),
                version: 3
            }
        );
    }

    #[test]
    fn since_keeps_last_sub_of_each_main() {
        let ki = sample();
        assert_eq!(ki.since(13), vec![r(14, 1), r(16, 0)]);
        assert_eq!(ki.since(1).len(), 8);
    }

    #[test]
    fn compact_drops_dead_generations() {
        let mut ki = sample();
        let mut avail = BTreeSet::new();
        ki.compact(6, &mut avail);
        // the tombstone at 6 was the newest at or below 6: its generation goes, nothing kept
        assert!(avail.is_empty());
        assert_eq!(ki.generations.len(), 2);
        let mut avail = BTreeSet::new();
        ki.compact(15, &mut avail);
        assert_eq!(avail.into_iter().collect::<Vec<_>>(), vec![r(14, 1)]);
        assert_eq!(ki.generations[0].revs, vec![r(14, 1), r(16, 0)]);
        assert_eq!(ki.get(16).unwrap().version, 3);
    }

    #[test]
    fn out_of_order_put_is_an_error_not_a_panic() {
        let mut ki = KeyIndex::new(b"k".to_vec());
        ki.put(r(5, 0)).unwrap();
        assert_eq!(ki.put(r(4, 0)), Err(KeyIndexError::OutOfOrder));
        let mut empty = KeyIndex::new(b"k".to_vec());
        assert_eq!(
            empty.tombstone(r(1, 0)),
            Err(KeyIndexError::RevisionNotFound)
        );
    }
}
