//! The in-memory [`Disk`]: what survives a simulated crash natively (the world keeps it while
//! the member's volatile state is thrown away).

use super::{Disk, DiskError, DiskState};
use crate::raft::{Entry, HardState, Snapshot};

/// A disk kept in memory.
#[derive(Clone, Debug, Default)]
pub struct MemoryDisk {
    hard_state: HardState,
    snapshot: Snapshot,
    /// Entries after `snapshot.metadata.index`, contiguous.
    entries: Vec<Entry>,
}

impl MemoryDisk {
    pub fn new() -> Self {
        MemoryDisk::default()
    }

    fn first_index(&self) -> u64 {
        self.snapshot.metadata.index + 1
    }

    fn last_index(&self) -> u64 {
        self.snapshot.metadata.index + self.entries.len() as u64
    }

    /// Number of entries held (for views and tests).
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }
}

impl Disk for MemoryDisk {
    fn append(&mut self, entries: &[Entry]) -> Result<(), DiskError> {
        let Some(first) = entries.first() else {
            return Ok(());
        };
        let last = self.last_index();
        if first.index > last + 1 {
            return Err(DiskError::Gap {
                last_index: last,
                first_new: first.index,
            });
        }
        // Entries already covered by the snapshot are skipped.
        let skip = self.first_index().saturating_sub(first.index) as usize;
        let entries = entries.get(skip..).unwrap_or(&[]);
        let Some(first) = entries.first() else {
            return Ok(());
        };
        let keep = (first.index - self.first_index()) as usize;
        self.entries.truncate(keep);
        self.entries.extend_from_slice(entries);
        Ok(())
    }

    fn set_hard_state(&mut self, hs: HardState) -> Result<(), DiskError> {
        self.hard_state = hs;
        Ok(())
    }

    fn save_snapshot(&mut self, snapshot: &Snapshot) -> Result<(), DiskError> {
        let idx = snapshot.metadata.index;
        if idx <= self.snapshot.metadata.index {
            return Ok(());
        }
        let agrees = idx <= self.last_index()
            && self
                .entries
                .get((idx - self.first_index()) as usize)
                .is_some_and(|e| e.term == snapshot.metadata.term);
        if agrees {
            let drop = (idx - self.first_index() + 1) as usize;
            self.entries.drain(..drop);
        } else {
            self.entries.clear();
        }
        self.snapshot = snapshot.clone();
        Ok(())
    }

    fn compact(&mut self, index: u64) -> Result<(), DiskError> {
        if index < self.first_index() {
            return Ok(());
        }
        let drop = ((index - self.first_index() + 1) as usize).min(self.entries.len());
        self.entries.drain(..drop);
        // The snapshot metadata records where the log now starts only if a snapshot was saved
        // there; compacting past the snapshot keeps the entries' own indexes authoritative.
        if let Some(first) = self.entries.first() {
            if first.index > self.first_index() {
                self.snapshot.metadata.index = first.index - 1;
            }
        }
        Ok(())
    }

    fn load(&self) -> DiskState {
        DiskState {
            hard_state: self.hard_state,
            snapshot: self.snapshot.clone(),
            entries: self.entries.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(index: u64, term: u64) -> Entry {
        Entry {
            index,
            term,
            ..Default::default()
        }
    }

    #[test]
    fn append_overwrites_conflicting_tail() {
        let mut d = MemoryDisk::new();
        d.append(&[e(1, 1), e(2, 1), e(3, 1)]).unwrap();
        d.append(&[e(2, 2)]).unwrap();
        let s = d.load();
        assert_eq!(s.entries, vec![e(1, 1), e(2, 2)]);
        assert!(d.append(&[e(5, 2)]).is_err());
    }

    #[test]
    fn snapshot_drops_covered_entries() {
        let mut d = MemoryDisk::new();
        d.append(&[e(1, 1), e(2, 1), e(3, 1)]).unwrap();
        let mut snap = Snapshot::default();
        snap.metadata.index = 2;
        snap.metadata.term = 1;
        d.save_snapshot(&snap).unwrap();
        assert_eq!(d.load().entries, vec![e(3, 1)]);
        d.append(&[e(4, 1)]).unwrap();
        assert_eq!(d.load().entries.len(), 2);
    }
}
