//! The stable part of a node's log, in memory (etcd's `MemoryStorage`): entries the
//! application has persisted, behind the last snapshot. Index 0 of `entries` is a dummy
//! holding the snapshot's index and term.

use super::error::RaftError;
use super::message::{ConfState, Entry, EntryData, HardState, Snapshot};

#[derive(Clone, Debug)]
pub struct MemStorage {
    pub hard_state: HardState,
    snapshot: Snapshot,
    /// `entries[0]` is the dummy entry at the snapshot's index.
    entries: Vec<Entry>,
}

impl Default for MemStorage {
    fn default() -> Self {
        MemStorage {
            hard_state: HardState::default(),
            snapshot: Snapshot::default(),
            entries: vec![Entry::default()],
        }
    }
}

impl MemStorage {
    pub fn new() -> Self {
        MemStorage::default()
    }

    fn offset(&self) -> u64 {
        self.entries.first().map_or(0, |e| e.index)
    }

    pub fn first_index(&self) -> u64 {
        self.offset() + 1
    }

    pub fn last_index(&self) -> u64 {
        self.offset() + self.entries.len() as u64 - 1
    }

    pub fn conf_state(&self) -> &ConfState {
        &self.snapshot.metadata.conf_state
    }

    pub fn term(&self, i: u64) -> Result<u64, RaftError> {
        let off = self.offset();
        if i < off {
            return Err(RaftError::Compacted);
        }
        self.entries
            .get((i - off) as usize)
            .map(|e| e.term)
            .ok_or(RaftError::Unavailable)
    }

    /// Entries in `[lo, hi)`, at most `max` of them.
    pub fn entries(&self, lo: u64, hi: u64, max: usize) -> Result<Vec<Entry>, RaftError> {
        let off = self.offset();
        if lo <= off {
            return Err(RaftError::Compacted);
        }
        if hi > self.last_index() + 1 {
            return Err(RaftError::Unavailable);
        }
        let lo_i = (lo - off) as usize;
        let hi_i = ((hi - off) as usize).min(lo_i.saturating_add(max.max(1)));
        Ok(self
            .entries
            .get(lo_i..hi_i)
            .map(<[Entry]>::to_vec)
            .unwrap_or_default())
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Replaces the contents with a snapshot.
    pub fn apply_snapshot(&mut self, snap: Snapshot) -> Result<(), RaftError> {
        if self.snapshot.metadata.index >= snap.metadata.index
            && !snap.is_empty()
            && self.snapshot.metadata.index > 0
        {
            return Err(RaftError::SnapshotOutOfDate);
        }
        self.entries = vec![Entry {
            term: snap.metadata.term,
            index: snap.metadata.index,
            ..Default::default()
        }];
        self.snapshot = snap;
        Ok(())
    }

    /// Makes a snapshot at `index` (which must be applied) with the application's data.
    pub fn create_snapshot(
        &mut self,
        index: u64,
        cs: Option<ConfState>,
        data: impl Into<EntryData>,
    ) -> Result<&Snapshot, RaftError> {
        if index <= self.snapshot.metadata.index {
            return Err(RaftError::SnapshotOutOfDate);
        }
        if index > self.last_index() {
            return Err(RaftError::Unavailable);
        }
        let term = self.term(index)?;
        self.snapshot.metadata.index = index;
        self.snapshot.metadata.term = term;
        if let Some(cs) = cs {
            self.snapshot.metadata.conf_state = cs;
        }
        self.snapshot.data = data.into();
        Ok(&self.snapshot)
    }

    /// Drops entries before `compact_index` (it becomes the dummy).
    pub fn compact(&mut self, compact_index: u64) -> Result<(), RaftError> {
        let off = self.offset();
        if compact_index <= off {
            return Err(RaftError::Compacted);
        }
        if compact_index > self.last_index() {
            return Err(RaftError::Unavailable);
        }
        let i = (compact_index - off) as usize;
        self.entries.drain(..i);
        if let Some(first) = self.entries.first_mut() {
            first.data = EntryData::default();
        }
        Ok(())
    }

    /// Appends entries it takes ownership of (the common case: after the last index).
    pub fn append_owned(&mut self, ents: Vec<Entry>) {
        match ents.first() {
            Some(e) if e.index == self.last_index() + 1 => self.entries.extend(ents),
            Some(_) => self.append(&ents),
            None => {}
        }
    }

    /// Appends entries, truncating a conflicting tail.
    pub fn append(&mut self, ents: &[Entry]) {
        let Some(first_new) = ents.first().map(|e| e.index) else {
            return;
        };
        let first = self.first_index();
        let last_new = first_new + ents.len() as u64 - 1;
        if last_new < first {
            return;
        }
        let ents = if first > first_new {
            ents.get((first - first_new) as usize..).unwrap_or(&[])
        } else {
            ents
        };
        let Some(start) = ents.first().map(|e| e.index) else {
            return;
        };
        let off = self.offset();
        let keep = (start - off) as usize;
        self.entries.truncate(keep);
        self.entries.extend_from_slice(ents);
    }
}
