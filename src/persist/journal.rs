//! The write-behind journal: what a disk's writes changed, as record operations a durable
//! store (IndexedDB in the page) replays later, and the coalesced batch one flush writes.
//!
//! The core stays synchronous and deterministic: members write to their in-memory disk at
//! once, and the disk also appends here what changed (entry records put or deleted, the hard
//! state, the snapshot). The page drains every member's journal after each step or command
//! and writes each batch in one transaction. Owns: the operations and their coalescing.
//! Must not touch: the storage behind them.

use crate::raft::{Entry, HardState, Snapshot};

/// One change to a member's records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskOp {
    /// Every record of the member is gone (a fresh disk); what follows rebuilds it.
    Clear,
    /// Entry records to store; each replaces the record at its index.
    PutEntries(Vec<Entry>),
    /// Entry records `from..=to` are gone (`to == None`: through the end).
    DeleteEntries {
        from: u64,
        to: Option<u64>,
    },
    HardState(HardState),
    Snapshot(Snapshot),
}

/// What one change to the entry records does, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryOp {
    Put(Vec<Entry>),
    Delete { from: u64, to: Option<u64> },
}

/// One member's coalesced writes since the last drain: written in one transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flush {
    /// Clear every record first.
    pub clear: bool,
    /// Entry changes, in the order they happened.
    pub entries: Vec<EntryOp>,
    /// The newest hard state, if it changed.
    pub hard_state: Option<HardState>,
    /// The newest snapshot, if one was saved.
    pub snapshot: Option<Snapshot>,
}

impl Flush {
    pub fn is_empty(&self) -> bool {
        !self.clear
            && self.entries.is_empty()
            && self.hard_state.is_none()
            && self.snapshot.is_none()
    }

    /// Number of entry records put (for benchmarks and tests).
    pub fn entries_put(&self) -> usize {
        self.entries
            .iter()
            .map(|op| match op {
                EntryOp::Put(es) => es.len(),
                EntryOp::Delete { .. } => 0,
            })
            .sum()
    }
}

/// The pending operations of one disk.
#[derive(Clone, Debug, Default)]
pub struct Journal {
    pending: Flush,
}

impl Journal {
    /// Records one operation, merging it into the pending batch: a clear drops everything
    /// before it, only the newest hard state and snapshot are kept, consecutive entry puts
    /// are joined.
    pub fn record(&mut self, op: DiskOp) {
        let p = &mut self.pending;
        match op {
            DiskOp::Clear => {
                *p = Flush {
                    clear: true,
                    ..Flush::default()
                }
            }
            DiskOp::HardState(hs) => p.hard_state = Some(hs),
            DiskOp::Snapshot(s) => p.snapshot = Some(s),
            DiskOp::PutEntries(es) => {
                if es.is_empty() {
                    return;
                }
                if let Some(EntryOp::Put(last)) = p.entries.last_mut() {
                    let next = last.last().map_or(0, |e| e.index.saturating_add(1));
                    if es.first().is_some_and(|e| e.index == next) {
                        last.extend(es);
                        return;
                    }
                }
                p.entries.push(EntryOp::Put(es));
            }
            DiskOp::DeleteEntries { from, to } => {
                if to.is_some_and(|t| t < from) {
                    return;
                }
                p.entries.push(EntryOp::Delete { from, to })
            }
        }
    }

    /// Takes the pending batch (empty afterwards).
    pub fn drain(&mut self) -> Flush {
        std::mem::take(&mut self.pending)
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// The snapshot the pending batch saves, if any.
    pub fn snapshot(&self) -> Option<&Snapshot> {
        self.pending.snapshot.as_ref()
    }
}

/// Applies a batch to a [`DiskState`](super::DiskState) the way a durable store does (what
/// the IndexedDB layer does to its records; used to check the journal natively).
pub fn apply(state: &mut super::DiskState, flush: &Flush) {
    use std::collections::BTreeMap;
    if flush.clear {
        *state = super::DiskState::default();
    }
    let mut records: BTreeMap<u64, Entry> = std::mem::take(&mut state.entries)
        .into_iter()
        .map(|e| (e.index, e))
        .collect();
    for op in &flush.entries {
        match op {
            EntryOp::Put(es) => {
                for e in es {
                    records.insert(e.index, e.clone());
                }
            }
            EntryOp::Delete { from, to } => {
                let gone: Vec<u64> = records
                    .range(*from..=to.unwrap_or(u64::MAX))
                    .map(|(k, _)| *k)
                    .collect();
                for k in gone {
                    records.remove(&k);
                }
            }
        }
    }
    state.entries = records.into_values().collect();
    if let Some(hs) = flush.hard_state {
        state.hard_state = hs;
    }
    if let Some(s) = &flush.snapshot {
        state.snapshot = s.clone();
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
    fn coalesces_puts_and_keeps_the_newest_hard_state() {
        let mut j = Journal::default();
        j.record(DiskOp::PutEntries(vec![e(1, 1)]));
        j.record(DiskOp::HardState(HardState {
            term: 1,
            vote: 0,
            commit: 0,
        }));
        j.record(DiskOp::PutEntries(vec![e(2, 1), e(3, 1)]));
        j.record(DiskOp::HardState(HardState {
            term: 2,
            vote: 1,
            commit: 3,
        }));
        let f = j.drain();
        assert_eq!(
            f.entries,
            vec![EntryOp::Put(vec![e(1, 1), e(2, 1), e(3, 1)])]
        );
        assert_eq!(f.hard_state.unwrap().term, 2);
        assert!(j.drain().is_empty());
    }

    #[test]
    fn a_clear_drops_what_came_before() {
        let mut j = Journal::default();
        j.record(DiskOp::PutEntries(vec![e(1, 1)]));
        j.record(DiskOp::Clear);
        j.record(DiskOp::PutEntries(vec![e(5, 1)]));
        let f = j.drain();
        assert!(f.clear);
        assert_eq!(f.entries, vec![EntryOp::Put(vec![e(5, 1)])]);
    }
}
