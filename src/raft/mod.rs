//! Raft, shaped like etcd's raft library: a pure state machine stepped with messages,
//! advanced with ticks, handing back what to persist, send and apply (`Ready`).
//!
//! Must not touch: the network, storage I/O, time other than `tick`.

pub mod message;

pub use message::{
    ConfChange, ConfChangeType, ConfState, Entry, EntryType, HardState, Message, MessageType,
    Snapshot, SnapshotMetadata,
};
