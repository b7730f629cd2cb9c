//! The data Raft exchanges and persists, shaped like etcd's `raftpb`: log entries, hard
//! state, snapshots with their configuration, conf changes, and the messages between peers.
//!
//! Plain data; no behaviour beyond small helpers. Entry payloads are opaque bytes that the
//! application (the etcd member) encodes and decodes.

use serde::{Deserialize, Serialize};

/// `raftpb.EntryType`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryType {
    #[default]
    Normal,
    ConfChange,
}

/// An entry's payload: shared, so that the copies an entry makes on its way (the log, the
/// messages to each follower, the disk, the apply loop) cost no allocation.
pub type EntryData = std::sync::Arc<[u8]>;

/// Serde for shared byte strings (`Entry::data`, `Snapshot::data`): written with
/// `serialize_bytes`, so postcard copies them whole instead of one element at a time. The
/// encodings are those a byte sequence already had (postcard: length then bytes; JSON: an array
/// of numbers), so stored records read back either way.
mod shared_bytes {
    use serde::de::{Deserializer, SeqAccess, Visitor};
    use serde::ser::Serializer;
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(b: &Arc<[u8]>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<[u8]>, D::Error> {
        d.deserialize_byte_buf(Bytes)
    }

    struct Bytes;

    impl<'de> Visitor<'de> for Bytes {
        type Value = Arc<[u8]>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a byte string")
        }

        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Arc<[u8]>, E> {
            Ok(v.into())
        }

        fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Arc<[u8]>, E> {
            Ok(v.into())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Arc<[u8]>, A::Error> {
            let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
            while let Some(b) = seq.next_element::<u8>()? {
                v.push(b);
            }
            Ok(v.into())
        }
    }
}

/// One log entry. `data` is empty for the leader's no-op entry of a new term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub term: u64,
    pub index: u64,
    pub entry_type: EntryType,
    #[serde(with = "shared_bytes")]
    pub data: EntryData,
}

/// The state a node must persist before it sends messages: `raftpb.HardState`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardState {
    pub term: u64,
    /// The node voted for in `term` (0: none).
    pub vote: u64,
    pub commit: u64,
}

impl HardState {
    pub fn is_empty(&self) -> bool {
        *self == HardState::default()
    }
}

/// The voters and learners of a configuration: `raftpb.ConfState`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfState {
    pub voters: Vec<u64>,
    pub learners: Vec<u64>,
}

/// `raftpb.SnapshotMetadata`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotMetadata {
    pub conf_state: ConfState,
    pub index: u64,
    pub term: u64,
}

/// A snapshot: the application's state up to `metadata.index`, as opaque bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Shared, like entry data: the member's storage, its disk and a message to a lagging
    /// follower hold the same bytes (a snapshot of the large /registry sample is ~120 MB).
    #[serde(with = "shared_bytes")]
    pub data: EntryData,
    pub metadata: SnapshotMetadata,
}

impl Snapshot {
    pub fn is_empty(&self) -> bool {
        self.metadata.index == 0
    }
}

/// `raftpb.ConfChangeType` (single-member changes only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfChangeType {
    AddNode,
    RemoveNode,
    /// etcd uses it for peer URL updates: no change to the Raft configuration.
    UpdateNode,
    AddLearnerNode,
}

/// `raftpb.ConfChange`: one member added, removed, updated or made a learner. `context` is
/// the application's (etcd puts the member's JSON there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfChange {
    pub change_type: ConfChangeType,
    pub node_id: u64,
    pub context: Vec<u8>,
}

/// `raftpb.MessageType`, the ones this implementation uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MessageType {
    /// Local: start an election.
    Hup,
    /// Local: the leader should send heartbeats.
    Beat,
    /// Local: append these entries (a proposal).
    Prop,
    App,
    AppResp,
    Vote,
    VoteResp,
    Snap,
    Heartbeat,
    HeartbeatResp,
    /// Local: a snapshot could not be delivered.
    SnapStatus,
    /// Local: a peer could not be reached.
    Unreachable,
    /// Local (to the leader): hand leadership to `from`.
    TransferLeader,
    TimeoutNow,
    ReadIndex,
    ReadIndexResp,
    PreVote,
    PreVoteResp,
    /// Local: check that a quorum is active (check-quorum).
    CheckQuorum,
}

impl MessageType {
    /// etcd's short name, as the trace shows it (`MsgApp`, `MsgVote`, ...).
    pub fn name(self) -> &'static str {
        match self {
            MessageType::Hup => "MsgHup",
            MessageType::Beat => "MsgBeat",
            MessageType::Prop => "MsgProp",
            MessageType::App => "MsgApp",
            MessageType::AppResp => "MsgAppResp",
            MessageType::Vote => "MsgVote",
            MessageType::VoteResp => "MsgVoteResp",
            MessageType::Snap => "MsgSnap",
            MessageType::Heartbeat => "MsgHeartbeat",
            MessageType::HeartbeatResp => "MsgHeartbeatResp",
            MessageType::SnapStatus => "MsgSnapStatus",
            MessageType::Unreachable => "MsgUnreachable",
            MessageType::TransferLeader => "MsgTransferLeader",
            MessageType::TimeoutNow => "MsgTimeoutNow",
            MessageType::ReadIndex => "MsgReadIndex",
            MessageType::ReadIndexResp => "MsgReadIndexResp",
            MessageType::PreVote => "MsgPreVote",
            MessageType::PreVoteResp => "MsgPreVoteResp",
            MessageType::CheckQuorum => "MsgCheckQuorum",
        }
    }

    /// Messages that are answers to a vote request.
    pub fn is_vote_response(self) -> bool {
        matches!(self, MessageType::VoteResp | MessageType::PreVoteResp)
    }

    /// Messages that only exist inside one node.
    pub fn is_local(self) -> bool {
        matches!(
            self,
            MessageType::Hup
                | MessageType::Beat
                | MessageType::SnapStatus
                | MessageType::Unreachable
                | MessageType::CheckQuorum
        )
    }
}

/// One message between peers (or stepped locally): `raftpb.Message`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub msg_type: MessageType,
    pub to: u64,
    pub from: u64,
    pub term: u64,
    /// Term of the entry at `index` (MsgApp), or the candidate's last term (MsgVote).
    pub log_term: u64,
    pub index: u64,
    pub entries: Vec<Entry>,
    pub commit: u64,
    pub snapshot: Option<Snapshot>,
    pub reject: bool,
    pub reject_hint: u64,
    /// ReadIndex request context; also marks a campaign started by leader transfer.
    pub context: Vec<u8>,
}

impl Message {
    pub fn new(msg_type: MessageType, from: u64, to: u64) -> Self {
        Message {
            msg_type,
            to,
            from,
            term: 0,
            log_term: 0,
            index: 0,
            entries: Vec::new(),
            commit: 0,
            snapshot: None,
            reject: false,
            reject_hint: 0,
            context: Vec::new(),
        }
    }
}
