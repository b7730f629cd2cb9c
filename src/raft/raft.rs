//! The Raft state machine (etcd's `raft.go`): one node's role, term and vote, its log and,
//! as leader, its followers' progress. It is stepped with messages ([`Raft::step`]) and
//! advanced with ticks ([`Raft::tick`]); it never does I/O: messages to send accumulate in
//! `msgs`, entries to persist in the log's unstable part.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::config::Config;
use super::error::RaftError;
use super::log::RaftLog;
use super::message::{ConfChange, ConfChangeType, ConfState, Entry, EntryType, Message, MessageType, Snapshot};
use super::progress::ProgressState;
use super::read_only::{ReadOnly, ReadState};
use super::storage::MemStorage;
use super::tracker::{ProgressTracker, VoteResult};

/// Context of a campaign started by leader transfer (votes are granted despite a lease).
pub const CAMPAIGN_TRANSFER: &[u8] = b"CampaignTransfer";

/// A node's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateRole {
    Follower,
    PreCandidate,
    Candidate,
    Leader,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CampaignType {
    PreElection,
    Election,
    Transfer,
}

pub struct Raft {
    pub id: u64,
    pub term: u64,
    pub vote: u64,
    pub raft_log: RaftLog,
    pub prs: ProgressTracker,
    pub state: StateRole,
    pub is_learner: bool,
    /// Messages to send, in order.
    pub msgs: Vec<Message>,
    /// The leader this node follows (0: none known).
    pub lead: u64,
    /// A leadership transfer in progress (0: none).
    pub lead_transferee: u64,
    /// Index of the last conf change proposed as leader; another waits until it is applied.
    pub pending_conf_index: u64,
    pub read_only: ReadOnly,
    pub read_states: Vec<ReadState>,
    /// ReadIndex requests received before this leader committed an entry of its term.
    pending_read_index: Vec<Message>,
    pub election_elapsed: u64,
    heartbeat_elapsed: u64,
    pub check_quorum: bool,
    pub pre_vote: bool,
    heartbeat_timeout: u64,
    election_timeout: u64,
    pub randomized_election_timeout: u64,
    max_entries_per_msg: usize,
    rng: ChaCha8Rng,
}

impl Raft {
    /// A node over `storage` (its persisted hard state, snapshot and entries).
    pub fn new(config: &Config, storage: MemStorage, rng: ChaCha8Rng) -> Result<Raft, RaftError> {
        config.validate()?;
        let hs = storage.hard_state;
        let cs = storage.conf_state().clone();
        let mut r = Raft {
            id: config.id,
            term: 0,
            vote: 0,
            raft_log: RaftLog::new(storage),
            prs: ProgressTracker::new(config.max_inflight_msgs),
            state: StateRole::Follower,
            is_learner: false,
            msgs: Vec::new(),
            lead: 0,
            lead_transferee: 0,
            pending_conf_index: 0,
            read_only: ReadOnly::default(),
            read_states: Vec::new(),
            pending_read_index: Vec::new(),
            election_elapsed: 0,
            heartbeat_elapsed: 0,
            check_quorum: config.check_quorum,
            pre_vote: config.pre_vote,
            heartbeat_timeout: config.heartbeat_tick,
            election_timeout: config.election_tick,
            randomized_election_timeout: config.election_tick,
            max_entries_per_msg: config.max_entries_per_msg,
            rng,
        };
        r.restore_conf(&cs);
        if !hs.is_empty() {
            r.term = hs.term;
            r.vote = hs.vote;
            let commit = hs.commit.clamp(r.raft_log.committed, r.raft_log.last_index());
            r.raft_log.committed = commit;
        }
        if config.applied > 0 {
            r.raft_log.applied_to(config.applied.min(r.raft_log.committed));
        }
        let term = r.term;
        r.become_follower(term, 0);
        Ok(r)
    }

    fn restore_conf(&mut self, cs: &ConfState) {
        self.prs = ProgressTracker::new(self.prs.max_inflight);
        let next = self.raft_log.last_index() + 1;
        for id in &cs.voters {
            self.prs.add(*id, false, next);
        }
        for id in &cs.learners {
            self.prs.add(*id, true, next);
        }
        self.is_learner = self.prs.learners.contains(&self.id);
        let last = self.raft_log.last_index();
        if let Some(p) = self.prs.progress.get_mut(&self.id) {
            p.matched = last;
        }
    }

    pub fn hard_state(&self) -> super::message::HardState {
        super::message::HardState { term: self.term, vote: self.vote, commit: self.raft_log.committed }
    }

    /// Whether this node may campaign: it is a voter of its configuration.
    pub fn promotable(&self) -> bool {
        self.prs.is_voter(self.id)
    }

    // ---- sending -----------------------------------------------------------------------

    fn send(&mut self, mut m: Message) {
        m.from = self.id;
        match m.msg_type {
            MessageType::Vote | MessageType::VoteResp | MessageType::PreVote | MessageType::PreVoteResp => {
                // The term of these is set by the caller.
            }
            MessageType::Prop | MessageType::ReadIndex => {
                // Forwarded local messages carry no term.
                m.term = 0;
            }
            _ => m.term = self.term,
        }
        self.msgs.push(m);
    }

    fn send_append(&mut self, to: u64) {
        self.maybe_send_append(to, true);
    }

    /// Sends entries (or a snapshot) to `to`; returns whether a message was sent.
    fn maybe_send_append(&mut self, to: u64, send_if_empty: bool) -> bool {
        let Some(pr) = self.prs.progress.get(&to) else { return false };
        if pr.is_paused() {
            return false;
        }
        let next = pr.next;
        let term = self.raft_log.term(next.saturating_sub(1));
        let ents = self.raft_log.entries(next, self.max_entries_per_msg);
        if ents.as_ref().is_ok_and(Vec::is_empty) && !send_if_empty {
            return false;
        }
        let mut m = Message::new(MessageType::App, self.id, to);
        match (term, ents) {
            (Ok(term), Ok(ents)) => {
                m.index = next - 1;
                m.log_term = term;
                m.commit = self.raft_log.committed;
                let last = ents.last().map(|e| e.index);
                m.entries = ents;
                if let (Some(last), Some(pr)) = (last, self.prs.progress.get_mut(&to)) {
                    match pr.state {
                        ProgressState::Replicate => {
                            pr.optimistic_update(last);
                            pr.inflights.add(last);
                        }
                        ProgressState::Probe => pr.probe_sent = true,
                        ProgressState::Snapshot => {}
                    }
                }
            }
            _ => {
                // The entries are compacted: send a snapshot.
                let Some(pr) = self.prs.progress.get_mut(&to) else { return false };
                if !pr.recent_active {
                    return false;
                }
                let snap = self.raft_log.snapshot();
                if snap.is_empty() {
                    return false;
                }
                pr.become_snapshot(snap.metadata.index);
                m.msg_type = MessageType::Snap;
                m.snapshot = Some(snap);
            }
        }
        self.send(m);
        true
    }

    fn send_heartbeat(&mut self, to: u64, ctx: Vec<u8>) {
        let commit = self.prs.progress.get(&to).map_or(0, |p| p.matched).min(self.raft_log.committed);
        let mut m = Message::new(MessageType::Heartbeat, self.id, to);
        m.commit = commit;
        m.context = ctx;
        self.send(m);
    }

    fn peers(&self) -> Vec<u64> {
        self.prs.progress.keys().copied().filter(|id| *id != self.id).collect()
    }

    fn bcast_append(&mut self) {
        for id in self.peers() {
            self.send_append(id);
        }
    }

    fn bcast_heartbeat(&mut self) {
        let ctx = self.read_only.last_pending_request_ctx().map(<[u8]>::to_vec).unwrap_or_default();
        for id in self.peers() {
            self.send_heartbeat(id, ctx.clone());
        }
    }

    // ---- state transitions -------------------------------------------------------------

    fn reset(&mut self, term: u64) {
        if self.term != term {
            self.term = term;
            self.vote = 0;
        }
        self.lead = 0;
        self.election_elapsed = 0;
        self.heartbeat_elapsed = 0;
        self.reset_randomized_election_timeout();
        self.lead_transferee = 0;
        self.prs.reset_votes();
        let last = self.raft_log.last_index();
        let max = self.prs.max_inflight;
        let me = self.id;
        for (id, pr) in self.prs.progress.iter_mut() {
            let learner = pr.is_learner;
            *pr = super::progress::Progress::new(last + 1, max);
            pr.is_learner = learner;
            if *id == me {
                pr.matched = last;
            }
        }
        self.pending_conf_index = 0;
        self.read_only = ReadOnly::default();
        self.pending_read_index.clear();
    }

    fn reset_randomized_election_timeout(&mut self) {
        let et = self.election_timeout;
        self.randomized_election_timeout = et + self.rng.gen_range(0..et.max(1));
    }

    pub fn become_follower(&mut self, term: u64, lead: u64) {
        self.reset(term);
        self.lead = lead;
        self.state = StateRole::Follower;
    }

    fn become_candidate(&mut self) {
        let term = self.term + 1;
        self.reset(term);
        self.vote = self.id;
        self.state = StateRole::Candidate;
    }

    fn become_pre_candidate(&mut self) {
        // Neither term nor vote change: a pre-candidate only asks.
        self.prs.reset_votes();
        self.lead = 0;
        self.state = StateRole::PreCandidate;
    }

    fn become_leader(&mut self) {
        let term = self.term;
        self.reset(term);
        self.lead = self.id;
        self.state = StateRole::Leader;
        if let Some(pr) = self.prs.progress.get_mut(&self.id) {
            pr.become_replicate();
        }
        // Conf changes in the uncommitted tail may be pending.
        self.pending_conf_index = self.raft_log.last_index();
        let e = Entry { term: self.term, index: self.raft_log.last_index() + 1, ..Default::default() };
        self.append_entries(vec![e]);
    }

    fn append_entries(&mut self, mut es: Vec<Entry>) {
        let li = self.raft_log.last_index();
        for (i, e) in es.iter_mut().enumerate() {
            e.term = self.term;
            e.index = li + 1 + i as u64;
        }
        let li = self.raft_log.append(&es);
        if let Some(pr) = self.prs.progress.get_mut(&self.id) {
            pr.maybe_update(li);
        }
        self.maybe_commit();
    }

    fn maybe_commit(&mut self) -> bool {
        let mci = self.prs.committed();
        let mci = mci.min(self.raft_log.last_index());
        let changed = self.raft_log.maybe_commit(mci, self.term);
        if changed && self.state == StateRole::Leader {
            self.release_pending_read_index();
        }
        changed
    }

    fn committed_entry_in_current_term(&self) -> bool {
        self.raft_log.term(self.raft_log.committed).is_ok_and(|t| t == self.term)
    }

    fn release_pending_read_index(&mut self) {
        if !self.committed_entry_in_current_term() {
            return;
        }
        let pending = std::mem::take(&mut self.pending_read_index);
        for m in pending {
            self.handle_read_index(m);
        }
    }

    fn campaign(&mut self, t: CampaignType) {
        if !self.promotable() {
            return;
        }
        let (vote_msg, term) = if t == CampaignType::PreElection {
            self.become_pre_candidate();
            (MessageType::PreVote, self.term + 1)
        } else {
            self.become_candidate();
            (MessageType::Vote, self.term)
        };
        let resp = if vote_msg == MessageType::PreVote { MessageType::PreVoteResp } else { MessageType::VoteResp };
        if self.poll(self.id, resp, true) == VoteResult::Won {
            if t == CampaignType::PreElection {
                self.campaign(CampaignType::Election);
            } else {
                self.become_leader();
            }
            return;
        }
        let voters: Vec<u64> = self.prs.voters.iter().copied().filter(|id| *id != self.id).collect();
        for id in voters {
            let mut m = Message::new(vote_msg, self.id, id);
            m.term = term;
            m.index = self.raft_log.last_index();
            m.log_term = self.raft_log.last_term();
            if t == CampaignType::Transfer {
                m.context = CAMPAIGN_TRANSFER.to_vec();
            }
            self.send(m);
        }
    }

    fn poll(&mut self, id: u64, _t: MessageType, granted: bool) -> VoteResult {
        self.prs.record_vote(id, granted);
        self.prs.tally_votes().2
    }

    // ---- ticks -------------------------------------------------------------------------

    /// Advances the node's clocks by one tick (100 ms in the world).
    pub fn tick(&mut self) {
        if self.state == StateRole::Leader {
            self.tick_heartbeat();
        } else {
            self.tick_election();
        }
    }

    fn past_election_timeout(&self) -> bool {
        self.election_elapsed >= self.randomized_election_timeout
    }

    fn tick_election(&mut self) {
        self.election_elapsed += 1;
        if self.promotable() && self.past_election_timeout() {
            self.election_elapsed = 0;
            let _ = self.step(Message::new(MessageType::Hup, self.id, self.id));
        }
    }

    fn tick_heartbeat(&mut self) {
        self.heartbeat_elapsed += 1;
        self.election_elapsed += 1;
        if self.election_elapsed >= self.election_timeout {
            self.election_elapsed = 0;
            if self.check_quorum {
                let _ = self.step(Message::new(MessageType::CheckQuorum, self.id, self.id));
            }
            if self.state == StateRole::Leader && self.lead_transferee != 0 {
                self.lead_transferee = 0;
            }
        }
        if self.state != StateRole::Leader {
            return;
        }
        if self.heartbeat_elapsed >= self.heartbeat_timeout {
            self.heartbeat_elapsed = 0;
            let _ = self.step(Message::new(MessageType::Beat, self.id, self.id));
        }
    }

    // ---- stepping ----------------------------------------------------------------------

    /// Handles one message (from a peer, or local: Hup, Beat, Prop, ReadIndex...).
    pub fn step(&mut self, m: Message) -> Result<(), RaftError> {
        if m.term == 0 {
            // Local message.
        } else if m.term > self.term {
            if matches!(m.msg_type, MessageType::Vote | MessageType::PreVote) {
                let force = m.context.as_slice() == CAMPAIGN_TRANSFER;
                let in_lease = self.check_quorum && self.lead != 0 && self.election_elapsed < self.election_timeout;
                if !force && in_lease {
                    // A leader is alive: ignore the disruptive candidate.
                    return Ok(());
                }
            }
            match m.msg_type {
                MessageType::PreVote => {}
                MessageType::PreVoteResp if !m.reject => {}
                MessageType::App | MessageType::Heartbeat | MessageType::Snap => {
                    self.become_follower(m.term, m.from);
                }
                _ => self.become_follower(m.term, 0),
            }
        } else if m.term < self.term {
            if (self.check_quorum || self.pre_vote)
                && matches!(m.msg_type, MessageType::Heartbeat | MessageType::App)
            {
                // A stale leader: tell it our term so it steps down.
                let to = m.from;
                self.send(Message::new(MessageType::AppResp, self.id, to));
            } else if m.msg_type == MessageType::PreVote {
                let mut r = Message::new(MessageType::PreVoteResp, self.id, m.from);
                r.term = self.term;
                r.reject = true;
                self.send(r);
            }
            return Ok(());
        }

        match m.msg_type {
            MessageType::Hup => {
                if self.state != StateRole::Leader {
                    if self.has_unapplied_conf_change() {
                        return Ok(());
                    }
                    let t = if self.pre_vote { CampaignType::PreElection } else { CampaignType::Election };
                    self.campaign(t);
                }
                Ok(())
            }
            MessageType::Vote | MessageType::PreVote => {
                let can_vote = self.vote == m.from
                    || (self.vote == 0 && self.lead == 0)
                    || (m.msg_type == MessageType::PreVote && m.term > self.term);
                let resp_type = if m.msg_type == MessageType::Vote { MessageType::VoteResp } else { MessageType::PreVoteResp };
                let mut r = Message::new(resp_type, self.id, m.from);
                if can_vote && self.raft_log.is_up_to_date(m.index, m.log_term) {
                    r.term = m.term;
                    self.send(r);
                    if m.msg_type == MessageType::Vote {
                        self.election_elapsed = 0;
                        self.vote = m.from;
                    }
                } else {
                    r.term = self.term;
                    r.reject = true;
                    self.send(r);
                }
                Ok(())
            }
            _ => match self.state {
                StateRole::Leader => self.step_leader(m),
                StateRole::Candidate | StateRole::PreCandidate => self.step_candidate(m),
                StateRole::Follower => self.step_follower(m),
            },
        }
    }

    fn has_unapplied_conf_change(&self) -> bool {
        if self.raft_log.committed <= self.raft_log.applied {
            return false;
        }
        self.raft_log
            .slice(self.raft_log.applied + 1, self.raft_log.committed + 1, usize::MAX)
            .map(|es| es.iter().any(|e| e.entry_type == EntryType::ConfChange))
            .unwrap_or(false)
    }

    fn step_leader(&mut self, mut m: Message) -> Result<(), RaftError> {
        match m.msg_type {
            MessageType::Beat => {
                self.bcast_heartbeat();
                return Ok(());
            }
            MessageType::CheckQuorum => {
                if !self.prs.quorum_active(self.id) {
                    let term = self.term;
                    self.become_follower(term, 0);
                }
                let me = self.id;
                for (id, pr) in self.prs.progress.iter_mut() {
                    if *id != me {
                        pr.recent_active = false;
                    }
                }
                return Ok(());
            }
            MessageType::Prop => {
                if m.entries.is_empty() {
                    return Err(RaftError::ProposalDropped);
                }
                if !self.prs.progress.contains_key(&self.id) || self.lead_transferee != 0 {
                    return Err(RaftError::ProposalDropped);
                }
                for e in m.entries.iter_mut() {
                    if e.entry_type == EntryType::ConfChange {
                        if self.pending_conf_index > self.raft_log.applied {
                            // One membership change at a time: this one becomes a no-op.
                            *e = Entry::default();
                        } else {
                            self.pending_conf_index = self.raft_log.last_index() + 1;
                        }
                    }
                }
                self.append_entries(m.entries);
                self.bcast_append();
                return Ok(());
            }
            MessageType::ReadIndex => {
                if self.prs.voters.len() <= 1 {
                    self.answer_read_index(m, self.raft_log.committed);
                    return Ok(());
                }
                if !self.committed_entry_in_current_term() {
                    self.pending_read_index.push(m);
                    return Ok(());
                }
                self.handle_read_index(m);
                return Ok(());
            }
            _ => {}
        }

        let from = m.from;
        if !self.prs.progress.contains_key(&from) {
            return Ok(());
        }
        match m.msg_type {
            MessageType::AppResp => {
                let last = self.raft_log.last_index();
                if let Some(pr) = self.prs.progress.get_mut(&from) {
                    pr.recent_active = true;
                }
                if m.reject {
                    let decr = self.prs.progress.get_mut(&from).is_some_and(|pr| {
                        let d = pr.maybe_decr_to(m.index, m.reject_hint);
                        if d && pr.state == ProgressState::Replicate {
                            pr.become_probe();
                        }
                        d
                    });
                    if decr {
                        self.send_append(from);
                    }
                } else {
                    let (old_paused, updated) = match self.prs.progress.get_mut(&from) {
                        Some(pr) => {
                            let old_paused = pr.is_paused();
                            let updated = pr.maybe_update(m.index);
                            if updated {
                                match pr.state {
                                    ProgressState::Probe => pr.become_replicate(),
                                    ProgressState::Snapshot if pr.matched >= pr.pending_snapshot => {
                                        pr.become_probe();
                                        pr.become_replicate();
                                    }
                                    ProgressState::Replicate => pr.inflights.free_le(m.index),
                                    ProgressState::Snapshot => {}
                                }
                            }
                            (old_paused, updated)
                        }
                        None => (false, false),
                    };
                    if updated {
                        if self.maybe_commit() {
                            self.bcast_append();
                        } else if old_paused {
                            self.send_append(from);
                        }
                        while self.maybe_send_append(from, false) {}
                        let matched = self.prs.progress.get(&from).map_or(0, |p| p.matched);
                        if from == self.lead_transferee && matched == last {
                            self.send_timeout_now(from);
                        }
                    }
                }
            }
            MessageType::HeartbeatResp => {
                let last = self.raft_log.last_index();
                let need_append = match self.prs.progress.get_mut(&from) {
                    Some(pr) => {
                        pr.recent_active = true;
                        pr.probe_sent = false;
                        if pr.state == ProgressState::Replicate && pr.inflights.full() {
                            pr.inflights.free_first_one();
                        }
                        pr.matched < last
                    }
                    None => false,
                };
                if need_append {
                    self.send_append(from);
                }
                if m.context.is_empty() {
                    return Ok(());
                }
                let quorum = self.prs.quorum();
                let voters = self.prs.voters.clone();
                let acked = self
                    .read_only
                    .recv_ack(from, &m.context)
                    .map(|acks| acks.iter().filter(|id| voters.contains(id)).count() + 1);
                if acked.map_or(true, |n| n < quorum) {
                    return Ok(());
                }
                for rs in self.read_only.advance(&m.context) {
                    self.answer_read_index(rs.req, rs.index);
                }
            }
            MessageType::SnapStatus => {
                if let Some(pr) = self.prs.progress.get_mut(&from) {
                    if pr.state == ProgressState::Snapshot {
                        if m.reject {
                            pr.pending_snapshot = 0;
                        }
                        pr.become_probe();
                        pr.probe_sent = true;
                    }
                }
            }
            MessageType::Unreachable => {
                if let Some(pr) = self.prs.progress.get_mut(&from) {
                    if pr.state == ProgressState::Replicate {
                        pr.become_probe();
                    }
                }
            }
            MessageType::TransferLeader => {
                let is_learner = self.prs.progress.get(&from).is_some_and(|p| p.is_learner);
                if is_learner {
                    return Err(RaftError::BadTransferee);
                }
                let transferee = from;
                if self.lead_transferee != 0 && self.lead_transferee == transferee {
                    return Ok(());
                }
                if transferee == self.id {
                    return Ok(());
                }
                self.lead_transferee = transferee;
                self.election_elapsed = 0;
                let matched = self.prs.progress.get(&transferee).map_or(0, |p| p.matched);
                if matched == self.raft_log.last_index() {
                    self.send_timeout_now(transferee);
                } else {
                    self.send_append(transferee);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn handle_read_index(&mut self, m: Message) {
        let index = self.raft_log.committed;
        self.read_only.add_request(index, m.clone());
        // The leader acknowledges itself; heartbeats gather the rest.
        let _ = self.read_only.recv_ack(self.id, &m.context);
        self.bcast_heartbeat_with_ctx(m.context);
    }

    fn bcast_heartbeat_with_ctx(&mut self, ctx: Vec<u8>) {
        for id in self.peers() {
            self.send_heartbeat(id, ctx.clone());
        }
    }

    fn answer_read_index(&mut self, req: Message, index: u64) {
        if req.from == 0 || req.from == self.id {
            self.read_states.push(ReadState { index, request_ctx: req.context });
        } else {
            let mut r = Message::new(MessageType::ReadIndexResp, self.id, req.from);
            r.index = index;
            r.context = req.context;
            self.send(r);
        }
    }

    fn send_timeout_now(&mut self, to: u64) {
        self.send(Message::new(MessageType::TimeoutNow, self.id, to));
    }

    fn step_candidate(&mut self, m: Message) -> Result<(), RaftError> {
        let my_resp = if self.state == StateRole::PreCandidate { MessageType::PreVoteResp } else { MessageType::VoteResp };
        match m.msg_type {
            MessageType::Prop => return Err(RaftError::ProposalDropped),
            MessageType::App => {
                self.become_follower(m.term, m.from);
                self.handle_append_entries(m);
            }
            MessageType::Heartbeat => {
                self.become_follower(m.term, m.from);
                self.handle_heartbeat(m);
            }
            MessageType::Snap => {
                self.become_follower(m.term, m.from);
                self.handle_snapshot(m);
            }
            t if t == my_resp => match self.poll(m.from, t, !m.reject) {
                VoteResult::Won => {
                    if self.state == StateRole::PreCandidate {
                        self.campaign(CampaignType::Election);
                    } else {
                        self.become_leader();
                        self.bcast_append();
                    }
                }
                VoteResult::Lost => {
                    let term = self.term;
                    self.become_follower(term, 0);
                }
                VoteResult::Pending => {}
            },
            MessageType::ReadIndex => return Err(RaftError::ProposalDropped),
            _ => {}
        }
        Ok(())
    }

    fn step_follower(&mut self, mut m: Message) -> Result<(), RaftError> {
        match m.msg_type {
            MessageType::Prop | MessageType::ReadIndex => {
                if self.lead == 0 {
                    return Err(RaftError::ProposalDropped);
                }
                m.to = self.lead;
                self.send(m);
            }
            MessageType::App => {
                self.election_elapsed = 0;
                self.lead = m.from;
                self.handle_append_entries(m);
            }
            MessageType::Heartbeat => {
                self.election_elapsed = 0;
                self.lead = m.from;
                self.handle_heartbeat(m);
            }
            MessageType::Snap => {
                self.election_elapsed = 0;
                self.lead = m.from;
                self.handle_snapshot(m);
            }
            MessageType::TransferLeader => {
                if self.lead == 0 {
                    return Err(RaftError::ProposalDropped);
                }
                m.to = self.lead;
                self.send(m);
            }
            MessageType::TimeoutNow => {
                if self.promotable() {
                    // Leader transfer: campaign at once, skipping pre-vote.
                    self.campaign(CampaignType::Transfer);
                }
            }
            MessageType::ReadIndexResp => {
                self.read_states.push(ReadState { index: m.index, request_ctx: m.context });
            }
            _ => {}
        }
        Ok(())
    }

    fn handle_append_entries(&mut self, m: Message) {
        let mut r = Message::new(MessageType::AppResp, self.id, m.from);
        if m.index < self.raft_log.committed {
            r.index = self.raft_log.committed;
            self.send(r);
            return;
        }
        match self.raft_log.maybe_append(m.index, m.log_term, m.commit, &m.entries) {
            Some(last_new) => {
                r.index = last_new;
            }
            None => {
                r.index = m.index;
                r.reject = true;
                r.reject_hint = self.raft_log.last_index();
            }
        }
        self.send(r);
    }

    fn handle_heartbeat(&mut self, m: Message) {
        self.raft_log.commit_to(m.commit);
        let mut r = Message::new(MessageType::HeartbeatResp, self.id, m.from);
        r.context = m.context;
        self.send(r);
    }

    fn handle_snapshot(&mut self, m: Message) {
        let Some(snap) = m.snapshot else { return };
        let mut r = Message::new(MessageType::AppResp, self.id, m.from);
        if self.restore(snap) {
            r.index = self.raft_log.last_index();
        } else {
            r.index = self.raft_log.committed;
        }
        self.send(r);
    }

    /// Installs a snapshot from the leader; false if it is not newer than what we have.
    pub fn restore(&mut self, s: Snapshot) -> bool {
        if s.metadata.index <= self.raft_log.committed {
            return false;
        }
        let cs = &s.metadata.conf_state;
        if !cs.voters.contains(&self.id) && !cs.learners.contains(&self.id) {
            return false;
        }
        if self.raft_log.match_term(s.metadata.index, s.metadata.term) {
            self.raft_log.commit_to(s.metadata.index);
            return false;
        }
        let cs = cs.clone();
        self.raft_log.restore(s);
        self.restore_conf(&cs);
        true
    }

    /// Applies a committed conf change to the configuration; returns the new one.
    pub fn apply_conf_change(&mut self, cc: &ConfChange) -> ConfState {
        let next = self.raft_log.last_index() + 1;
        match cc.change_type {
            ConfChangeType::AddNode => self.prs.add(cc.node_id, false, next),
            ConfChangeType::AddLearnerNode => self.prs.add(cc.node_id, true, next),
            ConfChangeType::RemoveNode => {
                self.prs.remove(cc.node_id);
                if self.state == StateRole::Leader && self.lead_transferee == cc.node_id {
                    self.lead_transferee = 0;
                }
            }
            ConfChangeType::UpdateNode => {}
        }
        self.is_learner = self.prs.learners.contains(&self.id);
        if self.state == StateRole::Leader && !self.prs.voters.is_empty() {
            if self.maybe_commit() {
                self.bcast_append();
            }
        }
        self.prs.conf_state()
    }
}
