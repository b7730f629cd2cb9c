//! A member's disk: its write-ahead log, hard state and snapshots, behind a small trait
//! (memory natively, IndexedDB in the browser).
//!
//! The trait is what a Raft `Ready` asks to persist, written incrementally: append entries
//! (overwriting a conflicting tail), set the hard state, save a snapshot, compact the log; and
//! `load` to restart from it. Calls look synchronous so a write-behind IndexedDB layer can sit
//! behind them: a disk can keep a [`Journal`] of what its writes changed, which the page
//! drains after each step or command and writes to IndexedDB (`idb`, wasm only), one
//! transaction per member per flush. Imports only `api` and `raft` (the entries it stores are
//! Raft's, as etcd's WAL stores raftpb entries). Must not touch: Raft rules, the network, the
//! clock.

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod idb;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod idb_shared;
pub mod journal;
pub mod memory;
pub mod record;
pub mod shared;
pub mod wal_file;

pub use journal::{DiskOp, EntryOp, Flush, Journal};
pub use memory::MemoryDisk;
pub use shared::SharedSnapshots;

use crate::raft::{Entry, HardState, Snapshot};

/// Why the disk refused a write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskError {
    /// The entries would leave a gap after the last stored index.
    Gap { last_index: u64, first_new: u64 },
    /// The backing store failed (IndexedDB errors end up here).
    Io(String),
}

impl std::fmt::Display for DiskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiskError::Gap {
                last_index,
                first_new,
            } => {
                write!(
                    f,
                    "disk: entry {first_new} would leave a gap after {last_index}"
                )
            }
            DiskError::Io(e) => write!(f, "disk: {e}"),
        }
    }
}

/// Everything a member reads back when it restarts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiskState {
    pub hard_state: HardState,
    /// The latest snapshot (empty if none was saved).
    pub snapshot: Snapshot,
    /// The entries after the snapshot, in index order.
    pub entries: Vec<Entry>,
}

/// Terms at or past this are forged: a cluster campaigning every millisecond takes millions of
/// years to reach it, and Raft adds one to a term when it campaigns.
pub const MAX_TERM: u64 = 1 << 63;

impl DiskState {
    /// Checks that the state can start a member, as a disk written by Raft always can: the
    /// entries contiguous right after the snapshot, their terms never going down, none before
    /// the snapshot's or past the hard state's term, no term 0 on stored data, commit not past
    /// the last entry, and a snapshot that names its voters. A forged or damaged disk fails
    /// here (its member is then restored from its peers) instead of starting a member that
    /// can never catch up. Linear in the entries.
    pub fn validate(&self) -> Result<(), String> {
        let snap = &self.snapshot.metadata;
        if snap.index > 0 && snap.term == 0 {
            return Err(format!("the snapshot at index {} has term 0", snap.index));
        }
        if snap.index > 0 && snap.conf_state.voters.is_empty() {
            return Err(format!(
                "the snapshot at index {} lists no voting member",
                snap.index
            ));
        }
        let mut next = snap.index.saturating_add(1);
        let mut term = snap.term;
        for e in &self.entries {
            if e.index != next {
                return Err(format!("entry {} follows entry {}", e.index, next - 1));
            }
            if e.term == 0 || e.term < term {
                return Err(format!(
                    "entry {} has term {} after term {term}",
                    e.index, e.term
                ));
            }
            term = e.term;
            next = next.saturating_add(1);
        }
        let last = next - 1;
        if self.hard_state.commit > last {
            return Err(format!(
                "the hard state commits index {} but the log ends at {last}",
                self.hard_state.commit
            ));
        }
        if self.hard_state.term >= MAX_TERM {
            return Err(format!(
                "the hard state's term {} is past any term a cluster reaches",
                self.hard_state.term
            ));
        }
        if term > self.hard_state.term {
            return Err(format!(
                "the log has term {term} but the hard state is at term {}",
                self.hard_state.term
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod validate_test;

/// A member's durable storage.
pub trait Disk {
    /// Appends entries; an entry whose index is already stored replaces it and everything
    /// after it (the conflicting tail Raft truncated).
    fn append(&mut self, entries: &[Entry]) -> Result<(), DiskError>;
    /// Records term, vote and commit.
    fn set_hard_state(&mut self, hs: HardState) -> Result<(), DiskError>;
    /// Saves a snapshot; entries it covers are dropped, later ones kept if they agree with it.
    fn save_snapshot(&mut self, snapshot: &Snapshot) -> Result<(), DiskError>;
    /// Drops the entries up to and including `index` (they are covered by a snapshot).
    fn compact(&mut self, index: u64) -> Result<(), DiskError>;
    /// Reads everything back (on restart).
    fn load(&self) -> DiskState;
    /// Starts keeping a journal of writes; with `baseline`, the journal begins with a clear
    /// and the whole current state (so a durable store can be rewritten from it).
    fn start_journal(&mut self, _baseline: bool) {}
    /// Takes the writes journaled since the last drain (empty when not journaling).
    fn drain_journal(&mut self) -> Flush {
        Flush::default()
    }
    /// The snapshot the journaled writes save, if any (the next drain carries it).
    fn journaled_snapshot(&self) -> Option<&Snapshot> {
        None
    }
}
