//! The unstable part of a node's log (etcd's `unstable`): entries and a snapshot not yet
//! persisted by the application. `offset` is the index of `entries[0]`.

use super::message::{Entry, Snapshot};

#[derive(Clone, Debug, Default)]
pub struct Unstable {
    pub snapshot: Option<Snapshot>,
    pub entries: Vec<Entry>,
    pub offset: u64,
}

impl Unstable {
    pub fn maybe_first_index(&self) -> Option<u64> {
        self.snapshot.as_ref().map(|s| s.metadata.index + 1)
    }

    pub fn maybe_last_index(&self) -> Option<u64> {
        if !self.entries.is_empty() {
            return Some(self.offset + self.entries.len() as u64 - 1);
        }
        self.snapshot.as_ref().map(|s| s.metadata.index)
    }

    pub fn maybe_term(&self, i: u64) -> Option<u64> {
        if i < self.offset {
            let s = self.snapshot.as_ref()?;
            return (s.metadata.index == i).then_some(s.metadata.term);
        }
        let last = self.maybe_last_index()?;
        if i > last {
            return None;
        }
        self.entries.get((i - self.offset) as usize).map(|e| e.term)
    }

    /// The application persisted entries up to `(i, t)`.
    pub fn stable_to(&mut self, i: u64, t: u64) {
        let Some(gt) = self.maybe_term(i) else { return };
        if gt == t && i >= self.offset {
            let n = (i + 1 - self.offset) as usize;
            self.entries.drain(..n.min(self.entries.len()));
            self.offset = i + 1;
        }
    }

    pub fn stable_snap_to(&mut self, i: u64) {
        if self.snapshot.as_ref().is_some_and(|s| s.metadata.index == i) {
            self.snapshot = None;
        }
    }

    pub fn restore(&mut self, s: Snapshot) {
        self.offset = s.metadata.index + 1;
        self.entries.clear();
        self.snapshot = Some(s);
    }

    pub fn truncate_and_append(&mut self, ents: &[Entry]) {
        let Some(after) = ents.first().map(|e| e.index) else { return };
        let last = self.offset + self.entries.len() as u64;
        if after == last {
            self.entries.extend_from_slice(ents);
        } else if after <= self.offset {
            self.offset = after;
            self.entries = ents.to_vec();
        } else {
            self.entries.truncate((after - self.offset) as usize);
            self.entries.extend_from_slice(ents);
        }
    }

    /// Entries in `[lo, hi)` (the caller checked the bounds).
    pub fn slice(&self, lo: u64, hi: u64) -> &[Entry] {
        let lo_i = lo.saturating_sub(self.offset) as usize;
        let hi_i = hi.saturating_sub(self.offset) as usize;
        self.entries.get(lo_i..hi_i.min(self.entries.len())).unwrap_or(&[])
    }
}
