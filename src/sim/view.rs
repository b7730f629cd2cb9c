//! Read-only views of the world for the UI and tests: each member's Raft state, its log, the
//! leader's view of its followers, the messages in flight, and the event trace.
//!
//! Plain data copied out of the world; holding one never borrows the world.

use std::time::Duration;

/// A member's Raft role (`StateType` in etcd's raft).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Follower,
    PreCandidate,
    Candidate,
    Leader,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::PreCandidate => "pre-candidate",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}

/// One log entry as the UI shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntryView {
    pub index: u64,
    pub term: u64,
    /// `put foo`, `conf change add infra4`, `(empty)` for a new leader's no-op...
    pub summary: String,
}

/// The leader's view of one follower (`tracker.Progress`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressView {
    pub id: u64,
    /// `probe`, `replicate` or `snapshot`.
    pub state: &'static str,
    pub matched: u64,
    pub next: u64,
    pub recent_active: bool,
    pub inflight: usize,
    pub is_learner: bool,
}

/// One member as the UI draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberView {
    pub id: u64,
    pub name: String,
    pub running: bool,
    pub role: Role,
    pub term: u64,
    /// Who this member voted for in `term` (0: nobody).
    pub vote: u64,
    /// The leader this member knows of (0: none).
    pub leader: u64,
    pub commit: u64,
    pub applied: u64,
    /// First index still in the log (older ones are compacted into the snapshot).
    pub first_index: u64,
    pub last_index: u64,
    pub log: Vec<LogEntryView>,
    /// Filled on the leader only.
    pub progress: Vec<ProgressView>,
    /// Ticks since the election timer was reset, and the randomized timeout it runs to.
    pub election_elapsed: u64,
    pub election_timeout: u64,
    pub is_learner: bool,
}

/// A message on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageView {
    pub from: u64,
    pub to: u64,
    /// `MsgApp`, `MsgVote`, ...
    pub kind: &'static str,
    pub term: u64,
    pub sent_at: Duration,
    pub deliver_at: Duration,
}

/// What happened, in order, for the UI to animate and tests to inspect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceKind {
    Sent {
        from: u64,
        to: u64,
        kind: &'static str,
        term: u64,
    },
    Delivered {
        from: u64,
        to: u64,
        kind: &'static str,
        term: u64,
    },
    Dropped {
        from: u64,
        to: u64,
        kind: &'static str,
        term: u64,
        reason: &'static str,
    },
    RoleChanged {
        member: u64,
        role: Role,
        term: u64,
    },
    Appended {
        member: u64,
        index: u64,
        term: u64,
    },
    Committed {
        member: u64,
        index: u64,
    },
    Applied {
        member: u64,
        index: u64,
    },
    Crashed {
        member: u64,
    },
    Restarted {
        member: u64,
    },
    Control {
        text: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    pub at: Duration,
    pub kind: TraceKind,
}

use super::event_loop::Event;
use super::{World, SUMMARY_CACHE_CAP};
use crate::persist::Disk;
use crate::raft::Entry;
use crate::raft::StateRole;
use crate::server::member::{Member, MemberConfig};
use crate::server::payload::entry_summary;

/// At most this many of the newest log entries are copied into a view.
pub const VIEW_LOG_LIMIT: usize = 200;

/// The view of one member, running (`member`) or stopped (`disk`).
pub fn member_view(
    config: &MemberConfig,
    member: Option<&Member>,
    disk: Option<&dyn Disk>,
    summary: &dyn Fn(&crate::raft::Entry) -> String,
) -> MemberView {
    let mut v = MemberView {
        id: config.id,
        name: config.name.clone(),
        running: member.is_some(),
        role: Role::Follower,
        term: 0,
        vote: 0,
        leader: 0,
        commit: 0,
        applied: 0,
        first_index: 1,
        last_index: 0,
        log: Vec::new(),
        progress: Vec::new(),
        election_elapsed: 0,
        election_timeout: 10,
        is_learner: false,
    };
    if let Some(m) = member {
        let r = &m.node.raft;
        v.role = match r.state {
            StateRole::Follower => Role::Follower,
            StateRole::PreCandidate => Role::PreCandidate,
            StateRole::Candidate => Role::Candidate,
            StateRole::Leader => Role::Leader,
        };
        v.term = r.term;
        v.vote = r.vote;
        v.leader = r.lead;
        v.commit = r.raft_log.committed;
        v.applied = m.applied;
        v.first_index = r.raft_log.first_index();
        v.last_index = r.raft_log.last_index();
        let lo = v
            .last_index
            .saturating_sub(VIEW_LOG_LIMIT as u64 - 1)
            .max(v.first_index);
        if let Ok(es) = r.raft_log.slice(lo, v.last_index + 1, VIEW_LOG_LIMIT) {
            v.log = es
                .iter()
                .map(|e| LogEntryView {
                    index: e.index,
                    term: e.term,
                    summary: summary(e),
                })
                .collect();
        }
        if r.state == StateRole::Leader {
            v.progress = r
                .prs
                .progress
                .iter()
                .map(|(id, p)| ProgressView {
                    id: *id,
                    state: p.state.name(),
                    matched: p.matched,
                    next: p.next,
                    recent_active: p.recent_active,
                    inflight: p.inflights.count(),
                    is_learner: p.is_learner,
                })
                .collect();
        }
        v.election_elapsed = r.election_elapsed;
        v.election_timeout = r.randomized_election_timeout;
        v.is_learner = r.is_learner;
    } else if let Some(d) = disk {
        let s = d.load();
        v.term = s.hard_state.term;
        v.vote = s.hard_state.vote;
        v.commit = s.hard_state.commit;
        v.first_index = s.snapshot.metadata.index + 1;
        v.last_index = s
            .entries
            .last()
            .map_or(s.snapshot.metadata.index, |e| e.index);
        let skip = s.entries.len().saturating_sub(VIEW_LOG_LIMIT);
        v.log = s
            .entries
            .iter()
            .skip(skip)
            .map(|e| LogEntryView {
                index: e.index,
                term: e.term,
                summary: summary(e),
            })
            .collect();
    }
    v
}

impl World {
    /// Every member as the UI draws it, in the order they joined the world (the initial
    /// members first, in ID order), so a picture keeps its places as members are added.
    pub fn member_views(&self) -> Vec<MemberView> {
        self.slots
            .iter()
            .map(|s| {
                member_view(&s.config, s.member.as_ref(), s.disk.as_deref(), &|e| {
                    self.entry_summary_cached(e)
                })
            })
            .collect()
    }

    /// [`entry_summary`] of a log entry, decoded once per (index, term): by Log Matching,
    /// entries with the same index and term are the same entry, on every member.
    pub(super) fn entry_summary_cached(&self, e: &Entry) -> String {
        let key = (e.index, e.term);
        let Ok(mut cache) = self.summaries.try_borrow_mut() else {
            return entry_summary(e);
        };
        if let Some(s) = cache.get(&key) {
            return s.clone();
        }
        let s = entry_summary(e);
        cache.insert(key, s.clone());
        while cache.len() > SUMMARY_CACHE_CAP {
            cache.pop_first();
        }
        s
    }

    /// Messages on the wire.
    pub fn messages_in_flight(&self) -> Vec<MessageView> {
        self.queue
            .in_order()
            .into_iter()
            .filter_map(|(at, e)| match e {
                Event::Deliver { msg, sent_at } => Some(MessageView {
                    from: msg.from,
                    to: msg.to,
                    kind: msg.msg_type.name(),
                    term: msg.term,
                    sent_at: *sent_at,
                    deliver_at: at,
                }),
                Event::Tick => None,
            })
            .collect()
    }

    /// The event trace so far (the most recent [`TRACE_CAP`] events at most).
    pub fn trace(&self) -> &[TraceEvent] {
        &self.trace
    }

    /// Violations of state machine safety seen so far (two members applying different
    /// entries at one index). Empty in a correct world.
    pub fn safety_violations(&self) -> &[String] {
        &self.safety_violations
    }
}
