//! A member's disk: its write-ahead log, hard state and snapshots, behind a small trait
//! (memory natively, IndexedDB in the browser).
//!
//! The trait is what a Raft `Ready` asks to persist, written incrementally: append entries
//! (overwriting a conflicting tail), set the hard state, save a snapshot, compact the log; and
//! `load` to restart from it. Calls look synchronous so a write-behind IndexedDB layer can sit
//! behind them. Must not touch: Raft rules, the network, the clock.

pub mod memory;

pub use memory::MemoryDisk;

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
}
