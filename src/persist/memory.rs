//! The in-memory [`Disk`]: what survives a simulated crash natively (the world keeps it while
//! the member's volatile state is thrown away).

use super::{Disk, DiskError, DiskOp, DiskState, Flush, Journal};
use crate::raft::{Entry, HardState, Snapshot};

/// A disk kept in memory.
#[derive(Clone, Debug, Default)]
pub struct MemoryDisk {
    hard_state: HardState,
    snapshot: Snapshot,
    /// Entries after `snapshot.metadata.index`, contiguous.
    entries: Vec<Entry>,
    /// What the writes changed, while journaling.
    journal: Option<Journal>,
}

impl MemoryDisk {
    pub fn new() -> Self {
        MemoryDisk::default()
    }

    /// A disk holding `state` (read back from a durable store).
    pub fn from_state(state: DiskState) -> Self {
        MemoryDisk {
            hard_state: state.hard_state,
            snapshot: state.snapshot,
            entries: state.entries,
            journal: None,
        }
    }

    fn record(&mut self, op: impl FnOnce() -> DiskOp) {
        if let Some(j) = self.journal.as_mut() {
            j.record(op());
        }
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
        let new_last = self.last_index();
        if last > new_last {
            self.record(|| DiskOp::DeleteEntries {
                from: new_last + 1,
                to: Some(last),
            });
        }
        self.record(|| DiskOp::PutEntries(entries.to_vec()));
        Ok(())
    }

    fn set_hard_state(&mut self, hs: HardState) -> Result<(), DiskError> {
        if self.hard_state == hs && self.journal.is_some() {
            return Ok(());
        }
        self.hard_state = hs;
        self.record(|| DiskOp::HardState(hs));
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
        let (first, last) = (self.first_index(), self.last_index());
        if agrees {
            let drop = (idx - self.first_index() + 1) as usize;
            self.entries.drain(..drop);
            self.record(|| DiskOp::DeleteEntries {
                from: first,
                to: Some(idx),
            });
        } else {
            self.entries.clear();
            self.record(|| DiskOp::DeleteEntries {
                from: first.min(idx),
                to: Some(last.max(idx)),
            });
        }
        self.snapshot = snapshot.clone();
        self.record(|| DiskOp::Snapshot(snapshot.clone()));
        Ok(())
    }

    fn compact(&mut self, index: u64) -> Result<(), DiskError> {
        if index < self.first_index() {
            return Ok(());
        }
        let old_first = self.first_index();
        let drop = ((index - self.first_index() + 1) as usize).min(self.entries.len());
        self.entries.drain(..drop);
        self.record(|| DiskOp::DeleteEntries {
            from: old_first,
            to: Some(index),
        });
        // The snapshot metadata records where the log now starts only if a snapshot was saved
        // there; compacting past the snapshot keeps the entries' own indexes authoritative.
        if let Some(first) = self.entries.first() {
            if first.index > self.first_index() {
                self.snapshot.metadata.index = first.index - 1;
                let s = self.snapshot.clone();
                self.record(|| DiskOp::Snapshot(s));
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

    fn start_journal(&mut self, baseline: bool) {
        let mut j = Journal::default();
        if baseline {
            j.record(DiskOp::Clear);
            j.record(DiskOp::HardState(self.hard_state));
            if !self.snapshot.is_empty() {
                j.record(DiskOp::Snapshot(self.snapshot.clone()));
            }
            j.record(DiskOp::PutEntries(self.entries.clone()));
        }
        self.journal = Some(j);
    }

    fn drain_journal(&mut self) -> Flush {
        self.journal
            .as_mut()
            .map(Journal::drain)
            .unwrap_or_default()
    }

    fn journaled_snapshot(&self) -> Option<&Snapshot> {
        self.journal.as_ref()?.snapshot()
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

    /// Whatever the writes, replaying the journal onto what was stored gives the disk's state.
    #[test]
    fn the_journal_replays_to_the_same_state() {
        use crate::persist::journal::apply;
        let mut d = MemoryDisk::new();
        d.append(&[e(1, 1), e(2, 1)]).unwrap();
        d.start_journal(true);
        let mut stored = DiskState::default();
        let mut check = |d: &mut MemoryDisk| {
            apply(&mut stored, &d.drain_journal());
            assert_eq!(stored, d.load());
        };
        check(&mut d);
        d.append(&[e(3, 1), e(4, 1), e(5, 1)]).unwrap();
        d.set_hard_state(HardState {
            term: 1,
            vote: 1,
            commit: 2,
        })
        .unwrap();
        check(&mut d);
        // A conflicting shorter tail.
        d.append(&[e(3, 2)]).unwrap();
        check(&mut d);
        d.append(&[e(4, 2), e(5, 2), e(6, 2)]).unwrap();
        let mut snap = Snapshot::default();
        snap.metadata.index = 4;
        snap.metadata.term = 2;
        d.save_snapshot(&snap).unwrap();
        d.append(&[e(7, 2)]).unwrap();
        check(&mut d);
        // A snapshot that disagrees with the log replaces it.
        snap.metadata.index = 9;
        snap.metadata.term = 3;
        d.save_snapshot(&snap).unwrap();
        check(&mut d);
        d.append(&[e(10, 3), e(11, 3), e(12, 3)]).unwrap();
        d.compact(10).unwrap();
        check(&mut d);
        assert_eq!(stored.entries, vec![e(11, 3), e(12, 3)]);
    }
}
