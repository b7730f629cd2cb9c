//! A node's Raft log (etcd's `raftLog`): the stable entries in [`MemStorage`], the unstable
//! ones not yet persisted, and the commit and apply cursors.

use super::error::RaftError;
use super::log_unstable::Unstable;
use super::message::{Entry, Snapshot};
use super::storage::MemStorage;

#[derive(Clone, Debug)]
pub struct RaftLog {
    pub storage: MemStorage,
    pub unstable: Unstable,
    /// Highest index known committed on a quorum.
    pub committed: u64,
    /// Highest index the application has applied.
    pub applied: u64,
}

impl RaftLog {
    pub fn new(storage: MemStorage) -> Self {
        let first = storage.first_index();
        let last = storage.last_index();
        RaftLog {
            storage,
            unstable: Unstable { snapshot: None, entries: Vec::new(), offset: last + 1 },
            committed: first - 1,
            applied: first - 1,
        }
    }

    pub fn first_index(&self) -> u64 {
        self.unstable.maybe_first_index().unwrap_or_else(|| self.storage.first_index())
    }

    pub fn last_index(&self) -> u64 {
        self.unstable.maybe_last_index().unwrap_or_else(|| self.storage.last_index())
    }

    pub fn last_term(&self) -> u64 {
        self.term(self.last_index()).unwrap_or(0)
    }

    /// The term of the entry at `i`; `Ok(0)` outside the log's range on the high side.
    pub fn term(&self, i: u64) -> Result<u64, RaftError> {
        let dummy = self.first_index() - 1;
        if i < dummy {
            return Err(RaftError::Compacted);
        }
        if i > self.last_index() {
            return Ok(0);
        }
        if let Some(t) = self.unstable.maybe_term(i) {
            return Ok(t);
        }
        self.storage.term(i)
    }

    pub fn match_term(&self, i: u64, t: u64) -> bool {
        self.term(i).is_ok_and(|x| x == t)
    }

    /// Whether a log ending at `(last_index, term)` is at least as up to date as ours.
    pub fn is_up_to_date(&self, last_index: u64, term: u64) -> bool {
        term > self.last_term() || (term == self.last_term() && last_index >= self.last_index())
    }

    /// The first index among `ents` whose term conflicts with ours or that we lack (0: none).
    pub fn find_conflict(&self, ents: &[Entry]) -> u64 {
        ents.iter().find(|e| !self.match_term(e.index, e.term)).map_or(0, |e| e.index)
    }

    /// Appends a leader's entries after `(index, log_term)` if that entry matches; returns
    /// the last index of the new entries.
    pub fn maybe_append(&mut self, index: u64, log_term: u64, committed: u64, ents: &[Entry]) -> Option<u64> {
        if !self.match_term(index, log_term) {
            return None;
        }
        let last_new = index + ents.len() as u64;
        let ci = self.find_conflict(ents);
        if ci != 0 && ci > self.committed {
            let start = (ci - (index + 1)) as usize;
            if let Some(rest) = ents.get(start..) {
                self.append(rest);
            }
        }
        // A conflict at or below commit would be a safety violation; such entries are ignored.
        self.commit_to(committed.min(last_new));
        Some(last_new)
    }

    pub fn append(&mut self, ents: &[Entry]) -> u64 {
        if !ents.is_empty() {
            self.unstable.truncate_and_append(ents);
        }
        self.last_index()
    }

    pub fn commit_to(&mut self, to: u64) {
        if self.committed < to {
            self.committed = to.min(self.last_index());
        }
    }

    pub fn applied_to(&mut self, i: u64) {
        if i != 0 && self.committed >= i && i >= self.applied {
            self.applied = i;
        }
    }

    /// Commits `max_index` if its entry is of `term` (only current-term entries commit by
    /// counting replicas; older ones commit with them).
    pub fn maybe_commit(&mut self, max_index: u64, term: u64) -> bool {
        if max_index > self.committed && self.term(max_index).is_ok_and(|t| t == term) {
            self.commit_to(max_index);
            return true;
        }
        false
    }

    pub fn unstable_entries(&self) -> &[Entry] {
        &self.unstable.entries
    }

    /// Committed entries not yet applied.
    pub fn next_entries(&self) -> Vec<Entry> {
        let off = self.applied.max(self.first_index() - 1) + 1;
        if self.committed + 1 > off {
            return self.slice(off, self.committed + 1, usize::MAX).unwrap_or_default();
        }
        Vec::new()
    }

    pub fn has_next_entries(&self) -> bool {
        let off = self.applied.max(self.first_index() - 1) + 1;
        self.committed + 1 > off
    }

    pub fn snapshot(&self) -> Snapshot {
        match &self.unstable.snapshot {
            Some(s) => s.clone(),
            None => self.storage.snapshot().clone(),
        }
    }

    /// Entries from `i` on, at most `max`.
    pub fn entries(&self, i: u64, max: usize) -> Result<Vec<Entry>, RaftError> {
        if i > self.last_index() {
            return Ok(Vec::new());
        }
        self.slice(i, self.last_index() + 1, max)
    }

    /// Entries in `[lo, hi)`, at most `max`.
    pub fn slice(&self, lo: u64, hi: u64, max: usize) -> Result<Vec<Entry>, RaftError> {
        if lo < self.first_index() {
            return Err(RaftError::Compacted);
        }
        if hi > self.last_index() + 1 || lo > hi {
            return Err(RaftError::Unavailable);
        }
        let hi = hi.min(lo.saturating_add(max as u64));
        let mut out = Vec::new();
        if lo < self.unstable.offset {
            let stable_hi = hi.min(self.unstable.offset);
            out = self.storage.entries(lo, stable_hi, usize::MAX)?;
        }
        if hi > self.unstable.offset {
            out.extend_from_slice(self.unstable.slice(lo.max(self.unstable.offset), hi));
        }
        Ok(out)
    }

    pub fn restore(&mut self, s: Snapshot) {
        self.committed = s.metadata.index;
        self.unstable.restore(s);
    }

    pub fn stable_to(&mut self, i: u64, t: u64) {
        self.unstable.stable_to(i, t);
    }

    pub fn stable_snap_to(&mut self, i: u64) {
        self.unstable.stable_snap_to(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(index: u64, term: u64) -> Entry {
        Entry { index, term, ..Default::default() }
    }

    #[test]
    fn append_conflict_and_commit_rules() {
        let mut l = RaftLog::new(MemStorage::new());
        l.append(&[e(1, 1), e(2, 1), e(3, 2)]);
        assert_eq!(l.last_index(), 3);
        // A leader at term 3 overwrites index 3 (term 2) with its own.
        assert_eq!(l.maybe_append(2, 1, 0, &[e(3, 3), e(4, 3)]), Some(4));
        assert_eq!(l.term(3), Ok(3));
        // Mismatching previous entry is refused.
        assert_eq!(l.maybe_append(4, 2, 0, &[e(5, 3)]), None);
        // Committing an older-term entry by counting is refused.
        assert!(!l.maybe_commit(2, 3));
        assert!(l.maybe_commit(4, 3));
        assert_eq!(l.committed, 4);
        assert_eq!(l.next_entries().len(), 4);
        // Persisting moves entries to storage without changing what is visible.
        l.storage.append(&l.unstable.entries.clone());
        l.stable_to(4, 3);
        assert_eq!(l.unstable_entries().len(), 0);
        assert_eq!(l.slice(1, 5, 10).unwrap().len(), 4);
    }
}
