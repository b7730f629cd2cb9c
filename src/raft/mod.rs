//! Raft, shaped like etcd's raft library: a pure state machine stepped with messages,
//! advanced with ticks, handing back what to persist, send and apply (`Ready`).
//!
//! - [`raft`](self::raft): the state machine (`step`, `tick`, `become_*`, `campaign`).
//! - [`log`] + [`log_unstable`] + [`storage`]: the log, split into unstable and stable parts.
//! - [`progress`] + [`inflights`] + [`tracker`]: the leader's view of its followers.
//! - [`read_only`]: ReadIndex. [`rawnode`]: `Ready` / `advance`. [`config`]: settings.
//!
//! Must not touch: the network, storage I/O, time other than `tick`. Randomness comes from
//! the RNG the caller passes in.

pub mod config;
pub mod error;
pub mod inflights;
pub mod log;
pub mod log_unstable;
pub mod message;
pub mod progress;
#[allow(clippy::module_inception)]
pub mod raft;
pub mod rawnode;
pub mod read_only;
pub mod storage;
pub mod tracker;

pub use config::Config;
pub use error::RaftError;
pub use message::{
    ConfChange, ConfChangeType, ConfState, Entry, EntryType, HardState, Message, MessageType,
    Snapshot, SnapshotMetadata,
};
pub use progress::ProgressState;
pub use raft::{Raft, StateRole};
pub use rawnode::{RawNode, Ready, SoftState};
pub use read_only::ReadState;
