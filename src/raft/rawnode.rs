//! The application's handle on a Raft node (etcd's `RawNode`): feed it ticks, proposals and
//! messages; collect a [`Ready`] (what to persist, send and apply); persist it; then
//! [`RawNode::advance`].

use rand_chacha::ChaCha8Rng;

use super::config::Config;
use super::error::RaftError;
use super::message::{
    ConfChange, ConfState, Entry, EntryData, EntryType, HardState, Message, MessageType, Snapshot,
};
use super::raft::{Raft, StateRole};
use super::read_only::ReadState;
use super::storage::MemStorage;

/// Volatile state worth showing: who leads and this node's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SoftState {
    pub lead: u64,
    pub role: StateRole,
}

/// What the application must do next, in order: persist `hard_state`, `entries` and
/// `snapshot`; send `messages`; apply `snapshot` then `committed_entries`; serve
/// `read_states` once applied up to their index.
#[derive(Clone, Debug, Default)]
pub struct Ready {
    pub soft_state: Option<SoftState>,
    pub hard_state: Option<HardState>,
    pub read_states: Vec<ReadState>,
    pub entries: Vec<Entry>,
    pub snapshot: Option<Snapshot>,
    pub committed_entries: Vec<Entry>,
    pub messages: Vec<Message>,
}

pub struct RawNode {
    pub raft: Raft,
    prev_soft: SoftState,
    prev_hard: HardState,
}

impl RawNode {
    /// A node restarted from what its disk holds (a fresh node has an empty disk and gets its
    /// configuration from the bootstrap conf-change entries, or `bootstrap_voters`).
    pub fn new(
        config: &Config,
        hard_state: HardState,
        snapshot: Snapshot,
        entries: &[Entry],
        rng: ChaCha8Rng,
    ) -> Result<RawNode, RaftError> {
        let mut storage = MemStorage::new();
        if !snapshot.is_empty() {
            storage.apply_snapshot(snapshot)?;
        }
        storage.append(entries);
        storage.hard_state = hard_state;
        let raft = Raft::new(config, storage, rng)?;
        let prev_soft = SoftState {
            lead: raft.lead,
            role: raft.state,
        };
        let prev_hard = raft.hard_state();
        Ok(RawNode {
            raft,
            prev_soft,
            prev_hard,
        })
    }

    /// Adds the initial voters without log entries (tests; the world bootstraps through
    /// conf-change entries as etcd does).
    pub fn bootstrap_voters(&mut self, voters: &[u64]) {
        let next = self.raft.raft_log.last_index() + 1;
        for id in voters {
            self.raft.prs.add(*id, false, next);
        }
    }

    pub fn tick(&mut self) {
        self.raft.tick();
    }

    /// Starts an election now (as an election timeout would).
    pub fn campaign(&mut self) -> Result<(), RaftError> {
        self.raft.step(Message::new(MessageType::Hup, 0, 0))
    }

    pub fn propose(&mut self, data: impl Into<EntryData>) -> Result<(), RaftError> {
        let mut m = Message::new(MessageType::Prop, self.raft.id, 0);
        m.entries.push(Entry {
            data: data.into(),
            ..Default::default()
        });
        self.raft.step(m)
    }

    /// Proposes several normal entries in one message (they are appended and replicated
    /// together).
    pub fn propose_batch(&mut self, datas: Vec<EntryData>) -> Result<(), RaftError> {
        let mut m = Message::new(MessageType::Prop, self.raft.id, 0);
        m.entries = datas
            .into_iter()
            .map(|data| Entry {
                data,
                ..Default::default()
            })
            .collect();
        self.raft.step(m)
    }

    pub fn propose_conf_change(&mut self, data: impl Into<EntryData>) -> Result<(), RaftError> {
        let mut m = Message::new(MessageType::Prop, self.raft.id, 0);
        m.entries.push(Entry {
            data: data.into(),
            entry_type: EntryType::ConfChange,
            ..Default::default()
        });
        self.raft.step(m)
    }

    pub fn apply_conf_change(&mut self, cc: &ConfChange) -> ConfState {
        self.raft.apply_conf_change(cc)
    }

    /// Steps a message from a peer (local message types are refused).
    pub fn step(&mut self, m: Message) -> Result<(), RaftError> {
        if m.msg_type.is_local() {
            return Err(RaftError::ProposalDropped);
        }
        if !self.raft.prs.progress.contains_key(&m.from) && m.msg_type.is_vote_response() {
            return Ok(());
        }
        self.raft.step(m)
    }

    /// Asks for a linearizable read point; the answer comes as a `ReadState` with `ctx`.
    pub fn read_index(&mut self, ctx: Vec<u8>) -> Result<(), RaftError> {
        let mut m = Message::new(MessageType::ReadIndex, self.raft.id, 0);
        m.context = ctx;
        self.raft.step(m)
    }

    /// Asks the leader to hand leadership to `transferee`.
    pub fn transfer_leader(&mut self, transferee: u64) -> Result<(), RaftError> {
        let m = Message::new(MessageType::TransferLeader, transferee, 0);
        self.raft.step(m)
    }

    pub fn report_unreachable(&mut self, id: u64) {
        let _ = self
            .raft
            .step(Message::new(MessageType::Unreachable, id, 0));
    }

    pub fn report_snapshot(&mut self, id: u64, failed: bool) {
        let mut m = Message::new(MessageType::SnapStatus, id, 0);
        m.reject = failed;
        let _ = self.raft.step(m);
    }

    fn soft_state(&self) -> SoftState {
        SoftState {
            lead: self.raft.lead,
            role: self.raft.state,
        }
    }

    pub fn has_ready(&self) -> bool {
        let r = &self.raft;
        self.soft_state() != self.prev_soft
            || r.hard_state() != self.prev_hard
            || r.raft_log.unstable.snapshot.is_some()
            || !r.msgs.is_empty()
            || !r.raft_log.unstable_entries().is_empty()
            || r.raft_log.has_next_entries()
            || !r.read_states.is_empty()
    }

    /// Collects what is ready; call [`RawNode::advance`] once it is handled.
    pub fn ready(&mut self) -> Ready {
        let ss = self.soft_state();
        let hs = self.raft.hard_state();
        Ready {
            soft_state: (ss != self.prev_soft).then_some(ss),
            hard_state: (hs != self.prev_hard).then_some(hs),
            read_states: std::mem::take(&mut self.raft.read_states),
            entries: self.raft.raft_log.unstable_entries().to_vec(),
            snapshot: self.raft.raft_log.unstable.snapshot.clone(),
            committed_entries: self.raft.raft_log.next_entries(),
            messages: std::mem::take(&mut self.raft.msgs),
        }
    }

    /// The application has persisted and applied `rd`.
    pub fn advance(&mut self, rd: Ready) {
        if let Some(ss) = rd.soft_state {
            self.prev_soft = ss;
        }
        if let Some(hs) = rd.hard_state {
            self.prev_hard = hs;
            self.raft.raft_log.storage.hard_state = hs;
        }
        if let Some(s) = rd.snapshot {
            let idx = s.metadata.index;
            let _ = self.raft.raft_log.storage.apply_snapshot(s);
            self.raft.raft_log.stable_snap_to(idx);
        }
        if let Some((index, term)) = rd.entries.last().map(|e| (e.index, e.term)) {
            self.raft.raft_log.storage.append_owned(rd.entries);
            self.raft.raft_log.stable_to(index, term);
        }
        if let Some(last) = rd.committed_entries.last() {
            self.raft.raft_log.applied_to(last.index);
        }
    }

    /// Makes a snapshot at `index` (applied) with the application's `data` and drops the log
    /// before it, keeping `keep` entries for slow followers.
    pub fn compact(
        &mut self,
        index: u64,
        cs: ConfState,
        data: impl Into<super::message::EntryData>,
        keep: u64,
    ) -> Result<(), RaftError> {
        self.raft
            .raft_log
            .storage
            .create_snapshot(index, Some(cs), data)?;
        let compact_to = index.saturating_sub(keep);
        if compact_to > self.raft.raft_log.storage.first_index() {
            self.raft.raft_log.storage.compact(compact_to)?;
        }
        Ok(())
    }

    pub fn role(&self) -> StateRole {
        self.raft.state
    }
}
